import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureUids, writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { DEXA, ndjson, runDexa } from '../helpers/run-cli.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const canMakeFifo = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;

describe('dexa ingest streams, run as a user would', () => {
  let work = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dexa-ingest-stream-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  // The last study's file is a FIFO, which dexa reads once (it cannot be read twice), after the
  // studies it planned from their headers; reading it waits until the test writes it. The first
  // study's line arrives while dexa still waits for the last study.
  it.skipIf(!canMakeFifo)('prints the first study before it has read the last', async () => {
    const first = syntheticStudy('stream-first', { patientId: 'STREAM-1' });
    const last = syntheticStudy('stream-last', { patientId: 'STREAM-2' });
    await drop(work, 'first', studyFiles(first));
    const fifo = join(work, 'last.dcm');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);

    const child = spawn(process.execPath, [DEXA, 'ingest', '--json', join(work, 'first'), fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    try {
      const firstLine = JSON.parse((await lines.next()).value as string);
      expect(firstLine.study.studyInstanceUid).toBe(fixtureUids(first).study);
      expect(firstLine.measurements.length).toBeGreaterThan(0);

      // nothing more comes, and dexa does not end, until the last study's file is written
      const more = lines.next();
      expect(await Promise.race([more.then(() => 'a line'), sleep(500).then(() => 'nothing')])).toBe('nothing');
      expect(child.exitCode).toBeNull();

      await writeFile(fifo, writeGeSrInstance(last, 0));
      const lastLine = JSON.parse((await more).value as string);
      expect(lastLine.study.studyInstanceUid).toBe(fixtureUids(last).study);
      expect(lastLine.errors).toEqual([]);
      expect(lastLine.measurements.length).toBeGreaterThan(0);
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    } finally {
      child.kill();
    }
  }, 60_000);

  it('reads a pipe given as a path (`<(…)`), which cannot be read twice, once', async () => {
    const piped = syntheticStudy('stream-piped', { patientId: 'STREAM-3' });
    const file = join(work, 'piped.dcm');
    await writeFile(file, writeGeSrInstance(piped, 0));
    // bash gives dexa the path of a pipe (/dev/fd/N) after its other arguments
    const run = await runDexa(['ingest', '--json'], { wrapper: ['bash', '-c', `exec "$@" <(cat '${file}')`, 'bash'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((ndjson(run.stdout) as any[]).map((study) => study.study.studyInstanceUid)).toEqual([fixtureUids(piped).study]);
  });

  it('compares a later study with the patient\'s earlier one read in the same run, oldest first, patient by patient', async () => {
    const earlier = syntheticStudy('stream-earlier', { patientId: 'STREAM-P', studyDate: '2024-06-03', neck: -1.4 });
    const later = syntheticStudy('stream-later', { patientId: 'STREAM-P', studyDate: '2026-06-01', neck: -1.9 });
    const other = syntheticStudy('stream-other', { patientId: 'STREAM-Q', studyDate: '2025-01-15' });
    const folder = join(work, 'history');
    // read in name order, the later study's folder comes first
    await drop(folder, 'a-later', studyFiles(later));
    await drop(folder, 'b-other', studyFiles(other));
    await drop(folder, 'c-earlier', studyFiles(earlier));

    const run = await runDexa(['ingest', '--json', folder]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const studies = ndjson(run.stdout) as any[];
    expect(studies.map((study) => study.study.studyInstanceUid)).toEqual([fixtureUids(earlier).study, fixtureUids(later).study, fixtureUids(other).study]);
    const [first, second, third] = studies;
    expect(first.classification.comparison).toBeNull();
    expect(third.classification.comparison).toBeNull();
    expect(second.classification.comparison).toMatchObject({ priorStudyInstanceUid: fixtureUids(earlier).study, priorDate: '2024-06-03', quantitative: true });
    const neck = second.classification.comparison.rows.find((row: any) => row.region === 'femoral_neck' && row.side === 'left');
    expect(neck.currentBmd).toBeLessThan(neck.priorBmd);
  });
});
