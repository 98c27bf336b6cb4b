import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Hl7Message } from '@medplum/core';
import type { Bundle, DiagnosticReport, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { fixtureAccession, fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { validateResultBundle } from '../../src/results/fhir-validate.ts';
import { unescapeHl7 } from '../../src/results/hl7-escape.ts';
import { ndjson, runDexa } from '../helpers/run-cli.ts';
import { drop, filesUnder, startTestService, studyFiles } from '../helpers/service.ts';

const fixture = (prefix: string) => FIXTURE_STUDIES.find((study) => study.id.startsWith(prefix))!;
const RELEASED = fixture('02'); // T path, released at once, "de Vries"
const Z_PATH = fixture('06'); // a man of 46: Z path
const HELD = fixture('08'); // held for review

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('dexa export: a study from the store as the hospital record receives it', () => {
  let root = '';
  let db = '';
  let out = '';

  beforeAll(async () => {
    // a store the watcher made: three studies dropped into its inbox, their letters written
    const service = await startTestService();
    root = service.root;
    db = service.database;
    out = service.out;
    try {
      for (const study of [RELEASED, Z_PATH, HELD]) await drop(service.inbox, study.id, studyFiles(study));
      await until(async () => (await filesUnder(out)).filter((file) => file.endsWith('.pdf') && !file.includes('superseded')).length >= 6, 60_000);
    } finally {
      await service.service.stop();
    }
  }, 90_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('--format hl7 by StudyInstanceUID prints the ORU^R01 with the released letters embedded', async () => {
    const run = await runDexa(['export', '--format', 'hl7', '--db', db, '--out', out, fixtureUids(RELEASED).study]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const message = Hl7Message.parse(run.stdout.trimEnd().split('\n').join('\r'));
    const pid = message.getSegment('PID')!;
    expect(pid.getComponent(3, 1)).toBe(RELEASED.patient.id);
    expect([pid.getComponent(5, 1, 1), pid.getComponent(5, 1, 2)]).toEqual(['de', 'Vries']);
    expect(message.getSegment('OBR')!.getComponent(3, 1)).toBe(fixtureAccession(RELEASED));
    expect(message.getSegment('OBR')!.getComponent(25, 1)).toBe('F');
    expect(message.getSegment('MSH')!.getComponent(3, 1)).toBe('DEXA-REPORT');
    const released = (await filesUnder(join(out, 'letters'))).filter((file) => file.includes(fixtureAccession(RELEASED)));
    const embedded = message.getAllSegments('OBX').filter((s) => s.getComponent(2, 1) === 'ED');
    expect(embedded).toHaveLength(2);
    for (const segment of embedded) {
      const kind = segment.getComponent(3, 1) === 'gp-letter-pdf' ? 'gp' : 'patient';
      const file = released.find((path) => path.includes(`_${kind}`))!;
      expect(Buffer.from(segment.getComponent(5, 5), 'base64').equals(await readFile(file))).toBe(true);
    }
    const text = message.getAllSegments('OBX').find((s) => s.getComponent(2, 1) === 'FT')!;
    expect(unescapeHl7(text.getComponent(5, 1))).toContain('Geachte collega');
  }, 60_000);

  it('--format fhir by accession number prints a valid bundle; a Z-path study has no T-score', async () => {
    const run = await runDexa(['export', '--format', 'fhir', '--db', db, '--out', out, fixtureAccession(RELEASED), fixtureAccession(Z_PATH)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const bundles = ndjson(run.stdout) as unknown as Bundle[];
    expect(bundles).toHaveLength(2);
    for (const bundle of bundles) validateResultBundle(bundle);
    const patients = bundles.map((bundle) => bundle.entry!.find((e) => e.resource!.resourceType === 'Patient')!.resource as Patient);
    expect(patients.map((p) => p.identifier![0]!.value)).toEqual([RELEASED.patient.id, Z_PATH.patient.id]);
    const observations = bundles.map((bundle) => bundle.entry!.filter((e) => e.resource!.resourceType === 'Observation').map((e) => e.resource as Observation));
    expect(observations[0]!.some((o) => o.valueQuantity!.code === '{T-score}')).toBe(true);
    expect(observations[1]!.some((o) => o.valueQuantity!.code === '{T-score}')).toBe(false);
    const report = bundles[0]!.entry!.find((e) => e.resource!.resourceType === 'DiagnosticReport')!.resource as DiagnosticReport;
    expect(report.status).toBe('final');
    expect(report.presentedForm![0]!.data!.length).toBeGreaterThan(1000);
  }, 60_000);

  it('--from/--to exports every classified study of the period; --into writes one file each, owner-only', async () => {
    const dates = [RELEASED, Z_PATH, HELD].map((s) => s.studyDate).sort();
    const json = await runDexa(['export', '--format', 'json', '--db', db, '--out', out, '--from', dates[0]!, '--to', dates[2]!]);
    expect(json.stderr).toBe('');
    expect(ndjson(json.stdout).map((line) => (line['study'] as { studyInstanceUid: string }).studyInstanceUid).sort()).toEqual([RELEASED, Z_PATH, HELD].map((s) => fixtureUids(s).study).sort());

    const into = join(root, 'export');
    const run = await runDexa(['export', '--format', 'hl7', '--db', db, '--out', out, '--into', into, '--from', dates[0]!, '--to', dates[2]!]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = await filesUnder(into);
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const message = Hl7Message.parse(await readFile(file, 'utf8'));
      const held = file.includes(fixtureAccession(HELD));
      // a held study goes out as preliminary, never as final
      expect(message.getSegment('OBR')!.getComponent(25, 1)).toBe(held ? 'P' : 'F');
    }
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(3);
  }, 60_000);

  it('a study not in the store is told, the others still exported; nothing named is a usage problem', async () => {
    const run = await runDexa(['export', '--format', 'json', '--db', db, '--out', out, 'NO-SUCH-ACCESSION', fixtureAccession(RELEASED)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NO-SUCH-ACCESSION: no such study in the store');
    expect(ndjson(run.stdout)).toHaveLength(1);
    const nothing = await runDexa(['export', '--format', 'fhir', '--db', db]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('name a study');
    const badFormat = await runDexa(['export', '--format', 'xml', '--db', db, '--out', out, fixtureAccession(RELEASED)]);
    expect(badFormat.code).toBe(1);
  }, 60_000);
});
