import { watch, existsSync, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { serviceStatus } from '../../src/watch/status.ts';
import { readOk } from '../helpers/exports.ts';
import { drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The final names of a synthetic study's two letters, from the default pattern. */
function letterNames(study: ReturnType<typeof syntheticStudy>): { gp: string; patient: string } {
  const { accessionNumber } = readOk(studyFiles(study)[0]!.bytes).study;
  return { gp: `${study.studyDate}_${accessionNumber}_gp.pdf`, patient: `${study.studyDate}_${accessionNumber}_patient.pdf` };
}

/** A process id no process has (above Linux's largest pid_max). */
const DEAD_PID = 4_194_400;

describe('letters are recorded before they are under their final names', () => {
  let running: TestService | null = null;
  let root = '';
  const watchers: FSWatcher[] = [];

  /** One study taken and its letters released; the service stopped. */
  async function runThenStop(id: string) {
    root = await mkdtemp(join(tmpdir(), `dexa-letters-${id}-`));
    const study = syntheticStudy(id);
    running = await startTestService({}, root);
    await drop(running.inbox, study.id, studyFiles(study));
    await running.service.idle();
    await running.service.stop();
    return { study, names: letterNames(study) };
  }

  /**
   * Puts a letter back where a kill between its record and its rename leaves it: recorded with its
   * hash, not in place, the bytes under the temporary name of the process that died.
   */
  async function backToRecordedNotRenamed(name: string): Promise<string> {
    const final = join(root, 'out', 'letters', name);
    const temporary = `${final}.partial-${DEAD_PID}`;
    await rename(final, temporary);
    const db = new DatabaseSync(join(root, 'data', 'dexa.db'));
    expect(db.prepare('UPDATE letters SET in_place = 0, temporary_path = ? WHERE path = ? AND sha256 IS NOT NULL').run(temporary, final).changes).toBe(1);
    db.close();
    return temporary;
  }
  afterEach(async () => {
    for (const watcher of watchers.splice(0)) watcher.close();
    await running?.close();
    running = null;
    if (root) await rm(root, { recursive: true, force: true });
    root = '';
  });

  it('a letter file never appears under its final name before the store records it', async () => {
    running = await startTestService();
    const service = running;
    const early: string[] = [];
    for (const folder of ['letters', 'review']) {
      const path = join(running.out, folder);
      watchers.push(
        watch(path, (_event, name) => {
          if (!name || name.includes('.partial-') || !existsSync(join(path, name))) return;
          if (service.row('SELECT 1 FROM letters WHERE path = ?', join(path, name)) === undefined) early.push(name);
        }),
      );
    }
    const studies = Array.from({ length: 8 }, (_, i) => syntheticStudy(`order-${i}`, { neck: -1.5 - i / 5 }));
    for (const study of studies) await drop(running.inbox, study.id, studyFiles(study));
    await running.service.idle();
    // on a loaded machine a context file can arrive after a study's quiet period: a second version, its first letters superseded
    expect(running.count("SELECT COUNT(*) AS n FROM letters WHERE state IN ('released', 'review')")).toBe(16);
    expect(running.count('SELECT COUNT(*) AS n FROM letters') % 2).toBe(0);
    expect(early).toEqual([]);
  });

  it('a full disk while letters are written leaves no orphan, and the next try writes exactly the two letters', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-letters-full-'));
    const study = syntheticStudy('disk-full');
    const names = letterNames(study);
    // the patient letter cannot be written (as on a full disk) after the GP letter was
    const blocked = join(root, 'out', 'letters', `${names.patient}.partial-${process.pid}`);
    await mkdir(blocked, { recursive: true });
    running = await startTestService({}, root, { failureBackoffMs: 200 });
    await drop(running.inbox, study.id, studyFiles(study));
    const { store } = running;
    await until(async () => {
      const record = await store.studies.byUid(fixtureUids(study).study);
      return record !== null && (await store.audit.of(record.id)).filter((entry) => entry.action === 'error').length >= 2;
    });
    expect(await filesUnder(join(root, 'out', 'letters'))).toEqual([]);

    await rmdir(blocked);
    await until(async () => (await store.studies.byUid(fixtureUids(study).study))?.version === 1);
    await running.service.idle();
    expect(await filesUnder(join(root, 'out', 'letters'))).toEqual([join(root, 'out', 'letters', names.gp), join(root, 'out', 'letters', names.patient)]);
    const status = await serviceStatus(store, running);
    expect(status.letters).toEqual({ released: 2 });
    expect(status.unknownLetters).toEqual([]);
    expect(status.temporaryFiles).toEqual([]);
  });

  it('a letter recorded but not yet renamed when the service stopped is put in place at the next start, with no ~2 copy', async () => {
    const { study, names } = await runThenStop('not-renamed');
    await backToRecordedNotRenamed(names.gp);
    running = await startTestService({}, root);
    await running.service.idle();
    expect(await filesUnder(join(root, 'out', 'letters'))).toEqual([join(root, 'out', 'letters', names.gp), join(root, 'out', 'letters', names.patient)]);
    const status = await serviceStatus(running.store, running);
    expect(status.letters).toEqual({ released: 2 });
    expect(status.unknownLetters).toEqual([]);
    expect(status.temporaryFiles).toEqual([]);
    expect((await running.store.studies.byUid(fixtureUids(study).study))!.version).toBe(1);
  });

  it('a recorded letter whose temporary file was lost is dropped from the store and its study made again', async () => {
    const { study, names } = await runThenStop('lost-letter');
    await unlink(await backToRecordedNotRenamed(names.gp));
    running = await startTestService({}, root);
    await running.service.idle();
    const { store } = running;
    const record = (await store.studies.byUid(fixtureUids(study).study))!;
    expect(record.version).toBe(2);
    expect((await store.audit.of(record.id)).map((entry) => entry.detail)).toContain(`letters ${names.gp} were lost before they were in place; the study is made again`);
    const v2 = (name: string) => name.replace(/\.pdf$/, '_v2.pdf');
    expect(await filesUnder(join(root, 'out', 'letters'))).toEqual([join(root, 'out', 'letters', v2(names.gp)), join(root, 'out', 'letters', v2(names.patient))]);
    expect(await filesUnder(join(root, 'out', 'superseded'))).toEqual([join(root, 'out', 'superseded', names.patient)]);
    const status = await serviceStatus(store, running);
    expect(status.letters).toEqual({ released: 2, superseded: 1 });
    expect(status.unknownLetters).toEqual([]);
    expect(status.temporaryFiles).toEqual([]);
  });

  it('temporary files left by a killed run are removed at the next start; one another process is writing is not', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-letters-partial-'));
    const day = new Date().toISOString().slice(0, 10);
    const leftovers = [
      join(root, 'out', 'letters', `2026-06-01_X_gp.pdf.partial-${DEAD_PID}`),
      join(root, 'out', 'review', `2026-06-01_Y_patient.pdf.partial-${process.pid}`),
      join(root, 'out', 'archive', day, 'a', `SR1.dcm.partial-${DEAD_PID}`),
    ];
    const beingWritten = join(root, 'out', 'letters', `2026-06-01_Z_gp.pdf.partial-${process.ppid}`);
    for (const path of [...leftovers, beingWritten]) {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, '%PDF-1.7 half a letter');
    }
    running = await startTestService({}, root);
    await running.service.idle();
    expect((await filesUnder(join(root, 'out'))).filter((path) => path.includes('.partial-'))).toEqual([beingWritten]);
    expect((await serviceStatus(running.store, running)).temporaryFiles).toEqual([beingWritten]);
  });
});
