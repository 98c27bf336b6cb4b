import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExportFile } from '../../src/ingest/read-file.ts';
import { readPlacement } from '../../src/ingest/read-placement.ts';
import { writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { syntheticStudy } from '../helpers/studies.ts';

describe('a file placed in its study from its header alone', () => {
  let work = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dexa-placement-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  /** What the full read says of the file, in the placement's terms. */
  async function placementFromFullRead(file: string) {
    const outcome = await readExportFile(file);
    if (!outcome.ok) throw new Error(outcome.failure.error);
    const { study, patient, instance } = outcome.extraction;
    return { file, studyInstanceUid: study.studyInstanceUid, patientId: patient.id, issuer: patient.issuer, studyDate: study.studyDate, instanceNumber: instance.instanceNumber, sopInstanceUid: instance.sopInstanceUid };
  }

  it('gives the study, patient, date and instance order the full read gives', async () => {
    const file = join(work, 'SR2.dcm');
    await writeFile(file, writeGeSrInstance(syntheticStudy('placed', { studyDate: '2025-03-04' }), 1));
    const placement = await readPlacement(file);
    expect(placement).toEqual(await placementFromFullRead(file));
    expect(placement).toMatchObject({ patientId: 'P-placed', studyDate: '2025-03-04', instanceNumber: 2 });
  });

  it('reads a header longer than its first look (64 KiB) from the whole file', async () => {
    const file = join(work, 'long-header.dcm');
    await writeFile(file, writeGeSrInstance(syntheticStudy('long-header', { address: 'Lange Laan '.repeat(7000) }), 0));
    expect(await readPlacement(file)).toEqual(await placementFromFullRead(file));
  });

  it('places a file cut short after its header with its study; reading it whole then says it is truncated', async () => {
    const whole = writeGeSrInstance(syntheticStudy('cut'), 0);
    const file = join(work, 'cut.dcm');
    await writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect((await readPlacement(file))?.patientId).toBe('P-cut');
    const outcome = await readExportFile(file);
    expect(outcome.ok ? null : outcome.failure.code).toBe('TRUNCATED');
  });

  it('has none for what has no readable header: the full read says why', async () => {
    await writeFile(join(work, 'empty.dcm'), new Uint8Array(0));
    await writeFile(join(work, 'random.dcm'), Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
    for (const name of ['empty.dcm', 'random.dcm', 'missing.dcm']) expect(await readPlacement(join(work, name))).toBeNull();
  });

  it.skipIf(spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status !== 0)('has none for a FIFO, which it does not open (that would wait for a writer, and use up what it gives)', async () => {
    const fifo = join(work, 'fifo.dcm');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(await readPlacement(fifo)).toBeNull();
  });
});
