import { describe, expect, it } from 'vitest';
import { letterFileName, safePart } from '../../src/letters/file-name.ts';

const fields = { studyDate: '2026-03-14', accession: 'DXA123', studyUid: '1.2.3', patientId: 'P 42', letter: 'gp', language: 'nl', version: '2' };

describe('letter file names', () => {
  it('fill the pattern from safe fields', () => {
    expect(letterFileName('{studyDate}_{accession}_{letter}', fields)).toBe('2026-03-14_DXA123_gp.pdf');
    expect(letterFileName('{patientId}-{letter}-v{version}', fields)).toBe('P_42-gp-v2.pdf');
  });

  it('cannot be steered out of the folder by a header value', () => {
    const name = letterFileName('{accession}_{letter}', { ...fields, accession: '../../etc/passwd' });
    expect(name).toBe('etc_passwd_gp.pdf');
    expect(name).not.toContain('/');
    expect(safePart('..\\..\\x')).toBe('x');
    expect(safePart('Noëlle')).toBe('Noelle');
    expect(letterFileName('{accession}', { ...fields, accession: '...' })).toBe('letter.pdf');
  });
});

describe('long fields in letter file names', () => {
  const long = { ...fields, accession: 'ACC' + 'C'.repeat(10_000) };

  it('keep the letter kind and the date when the accession number is 10 kB', () => {
    const gp = letterFileName('{studyDate}_{accession}_{letter}', { ...long, letter: 'gp' });
    const patient = letterFileName('{studyDate}_{accession}_{letter}', { ...long, letter: 'patient' });
    expect(gp).not.toBe(patient);
    expect(gp).toMatch(/^2026-03-14_ACC[C]+-[0-9a-f]{8}_gp\.pdf$/);
    expect(patient).toMatch(/^2026-03-14_ACC[C]+-[0-9a-f]{8}_patient\.pdf$/);
    for (const name of [gp, patient]) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(160);
  });

  it('give two long values that share their head two names', () => {
    const a = letterFileName('{accession}_{letter}', { ...fields, accession: 'X'.repeat(500) + 'a' });
    const b = letterFileName('{accession}_{letter}', { ...fields, accession: 'X'.repeat(500) + 'b' });
    expect(a).not.toBe(b);
  });

  it('stay within 255 bytes when every field is long, the short ones kept whole', () => {
    const huge = 'é/'.repeat(3_000);
    const name = letterFileName('{studyDate}_{accession}_{studyUid}_{patientId}_{letter}_{language}_v{version}', {
      ...fields, accession: huge, studyUid: '1.2.'.repeat(500), patientId: huge + 'p', letter: 'patient',
    });
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(160);
    expect(name).toMatch(/^2026-03-14_.*_patient_nl_v2\.pdf$/);
  });

  it('leave a value that fits as it was', () => {
    expect(letterFileName('{studyUid}_{letter}', { ...fields, studyUid: '2.25.' + '1'.repeat(59) })).toBe(`2.25.${'1'.repeat(59)}_gp.pdf`);
  });
});
