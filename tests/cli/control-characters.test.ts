import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { ndjson, runDexa, type CliRun } from '../helpers/run-cli.ts';
import { drop, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { IDXA, syntheticStudy } from '../helpers/studies.ts';

/** Every byte a terminal acts on, but the newline that ends each line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const HOSTILE_ID = 'P\u001b[31mRED\u0007\u202eX';

function hostileStudy(id: string) {
  const study = syntheticStudy(id, { patientId: HOSTILE_ID, scanner: { ...IDXA, model: 'Lunar\u001b]0;pwned\u0007 iDXA\u009b' } });
  return { ...study, patient: { ...study.patient, family: 'Evil\u001b[2J\u0007' } };
}

function expectNoRawControls(run: CliRun): void {
  expect(run.stdout).not.toMatch(RAW_CONTROL);
  expect(run.stderr).not.toMatch(RAW_CONTROL);
}

describe('control characters from patient fields and file names, run as a user would', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dexa-controls-'));
    await drop(work, 'study', studyFiles(hostileStudy('controls')));
    await mkdir(join(work, 'bad\u001b[2J\u0007'));
    await writeFile(join(work, 'bad\u001b[2J\u0007', 'x\u009b.dcm'), 'not a DICOM file at all');
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('dexa ingest prints them escaped in its table and on stderr', async () => {
    const run = await runDexa(['ingest', work]);
    expect(run.code).toBe(2);
    expectNoRawControls(run);
    expect(run.stdout).toContain('patient P\\x1b[31mRED\\x07\\u{202e}X');
    expect(run.stdout).toContain('Lunar\\x1b]0;pwned\\x07 iDXA\\x9b');
    expect(run.stderr).toContain('bad\\x1b[2J\\x07/x\\x9b.dcm');
  });

  it('dexa ingest --json escapes what JSON leaves raw, and the values read back unchanged', async () => {
    const run = await runDexa(['ingest', '--json', work]);
    expectNoRawControls(run);
    const [study] = ndjson(run.stdout) as any[];
    expect(study.patient.id).toBe(HOSTILE_ID);
    expect(study.patient.name.family).toBe('Evil\u001b[2J\u0007');
  });

  it('dexa render prints them escaped', async () => {
    const run = await runDexa(['render', '--out', join(work, 'letters'), '--date', '2026-11-23', work]);
    expectNoRawControls(run);
    expect(run.stderr).toContain('bad\\x1b[2J\\x07/x\\x9b.dcm');
  });
});

describe('control characters in what the store recorded', () => {
  let running: TestService;
  let paths: string[];
  const study = { ...hostileStudy('controls-held'), context: undefined }; // held: menopausal status unknown
  const folder = 'ward\u001b[2J\u0007';

  beforeAll(async () => {
    running = await startTestService();
    const [first, second] = studyFiles(study);
    await drop(running.inbox, 'first', [first!]);
    await running.service.idle();
    await drop(running.inbox, folder, [second!]);
    await running.service.idle();
    await running.service.stop();
    await drop(running.inbox, folder, [{ name: 'late\u009b.dcm', bytes: 'still arriving' }]);
    paths = ['--inbox', running.inbox, '--out', running.out, '--db', running.database];
  }, 60_000);
  afterAll(() => running.close().catch(() => undefined));

  it('dexa status, review list and review show print them escaped', async () => {
    const status = await runDexa(['status', ...paths]);
    expect(status.code).toBe(0);
    expectNoRawControls(status);
    expect(status.stdout).toContain('ward\\x1b[2J\\x07/late\\x9b.dcm');
    expectNoRawControls(await runDexa(['status', '--json', ...paths]));

    const list = await runDexa(['review', 'list', ...paths]);
    expect(list.stdout).toContain(fixtureUids(study).study);
    expectNoRawControls(list);

    const show = await runDexa(['review', 'show', fixtureUids(study).study, ...paths]);
    expect(show.code).toBe(0);
    expectNoRawControls(show);
    expect(show.stdout).toContain('ward\\x1b[2J\\x07/SR2.dcm');
  });
});
