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
