import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import type { InstanceExtraction } from '../../src/model/study.ts';
import { formatStatus, serviceStatus } from '../../src/watch/status.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import { ProblemCode } from '../../src/model/problems.ts';
import { readOk } from '../helpers/exports.ts';
import { cleanUp, drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The longest prefix up to `fraction` of an SR that reads as TRUNCATED: a cut inside a long value,
 * where the parser on its own already sees the end missing.
 */
function cutAt(bytes: Uint8Array, fraction: number): Uint8Array {
  for (let length = Math.floor(bytes.length * fraction); length > 0; length--) {
    const read = readExportBytes(bytes.subarray(0, length), 'cut.dcm');
    if (!read.ok && read.failure.code === ProblemCode.TRUNCATED) return bytes.subarray(0, length);
  }
  throw new Error('no truncated prefix');
}
const firstHalf = (bytes: Uint8Array) => cutAt(bytes, 0.5);

describe('an export that is still incomplete when it settles', () => {
  let running: TestService | null = null;
  let root = '';
  afterEach(async () => ([running, root] = await cleanUp(running, root)));

  it('is left in the inbox while the scanner stalls, then read whole: its letters, and the archived bytes are the stored ones', async () => {
    running = await startTestService();
    const study = syntheticStudy('stall', { spine: -2.7 });
    const [sr1, sr2, context] = studyFiles(study);
    await drop(running.inbox, 'stall', [{ name: 'SR1.dcm', bytes: firstHalf(sr1!.bytes) }, sr2!, context!]);
    // the scanner stalls for four times the settle time (a simulated stall, not a wait for the service)
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await filesUnder(join(running.out, 'quarantine'))).toEqual([]);
    expect(await filesUnder(join(running.out, 'letters'))).toEqual([]); // the study waits for its instance
    await appendFile(join(running.inbox, 'stall', 'SR1.dcm'), sr1!.bytes.subarray(firstHalf(sr1!.bytes).length));
    await running.service.idle();

    expect(await filesUnder(running.inbox)).toEqual([]);
    expect(await filesUnder(join(running.out, 'quarantine'))).toEqual([]);
    const archived = (await filesUnder(join(running.out, 'archive'))).find((f) => f.endsWith('/stall/SR1.dcm'))!;
    const archivedBytes = await readFile(archived);
    expect(archivedBytes.equals(Buffer.from(sr1!.bytes))).toBe(true);
    const record = running.rows<{ id: number; sha256: string; size: number }>("SELECT id, sha256, size FROM files WHERE inbox_path = 'stall/SR1.dcm'");
    expect(record).toHaveLength(1);
    expect(record[0]!.sha256).toBe(sha256(archivedBytes));
    expect(record[0]!.size).toBe(sr1!.bytes.length);
    expect((await running.store.files.events(record[0]!.id)).map((e) => e.event).slice(0, 4)).toEqual(['received', 'waited', 'parsed', 'stored']);

    // exactly the whole file's reading, and one version of the letters made from it
    const stored = running.row<{ extraction: string }>('SELECT e.extraction FROM instances i JOIN instance_extractions e ON e.instance_ref = i.id WHERE i.file_ref = ?', record[0]!.id)!;
    expect((JSON.parse(stored.extraction) as InstanceExtraction).measurements).toEqual(readOk(sr1!.bytes, 'stall/SR1.dcm').measurements);
    const record2 = (await running.store.studies.byUid(fixtureUids(study).study))!;
    expect(record2.version).toBe(1);
    const letters = [...(await filesUnder(join(running.out, 'letters'))), ...(await filesUnder(join(running.out, 'review')))];
    expect(letters).toHaveLength(2);
    expect((await serviceStatus(running.store, running)).incomplete).toEqual([]);
  });

  it('is quarantined as TRUNCATED once it has stayed incomplete and unchanged for the configured wait, not before', async () => {
    running = await startTestService({ incompleteWaitSeconds: 1.5 });
    const [sr1] = studyFiles(syntheticStudy('stuck'));
    const dropped = Date.now();
    await drop(running.inbox, 'stuck', [{ name: 'SR1.dcm', bytes: firstHalf(sr1!.bytes) }]);
    await until(async () => (await filesUnder(join(running!.out, 'quarantine'))).length === 2);
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(1500);

    const reasonFile = (await filesUnder(join(running.out, 'quarantine'))).find((f) => f.endsWith('.reason.txt'))!;
    expect(await readFile(reasonFile, 'utf8')).toMatch(/^stuck\/SR1\.dcm\nTRUNCATED: the file is truncated: .*; still incomplete \d+ s after its last change\n$/);
    const row = running.row<{ id: number; reason: string }>("SELECT id, reason FROM files WHERE outcome = 'quarantined'")!;
    expect(row.reason).toMatch(/^TRUNCATED: /);
    expect((await running.store.files.events(row.id)).map((e) => e.event)).toEqual(['received', 'waited', 'quarantined', 'moved']);
    expect((await serviceStatus(running.store, running)).incomplete).toEqual([]);
  });

  it('starts its wait again whenever it changes, still incomplete', async () => {
    running = await startTestService({ incompleteWaitSeconds: 1.5 });
    const [sr1] = studyFiles(syntheticStudy('growing'));
    const [half, most] = [cutAt(sr1!.bytes, 0.5), cutAt(sr1!.bytes, 0.8)];
    const path = join(running.inbox, 'growing', 'SR1.dcm');
    await drop(running.inbox, 'growing', [{ name: 'SR1.dcm', bytes: half }]);
    await until(async () => (await serviceStatus(running!.store, running!)).incomplete.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the scanner writes again within the wait
    const grew = Date.now();
    await appendFile(path, most.subarray(half.length));
    await until(async () => (await filesUnder(join(running!.out, 'quarantine'))).length === 2);
    expect(Date.now() - grew).toBeGreaterThanOrEqual(1500);
    const quarantined = (await filesUnder(join(running.out, 'quarantine'))).find((f) => f.endsWith('/growing/SR1.dcm'))!;
    expect((await readFile(quarantined)).length).toBe(most.length);
  });

  it.each([
    ['empty', 0],
    ['shorter than the DICOM preamble', 100],
  ])('is waited for too when %s (a scanner that created it and stalled)', async (_, length) => {
    running = await startTestService();
    const study = syntheticStudy(`early-${length}`);
    const [sr1, sr2, context] = studyFiles(study);
    await drop(running.inbox, 'early', [{ name: 'SR1.dcm', bytes: sr1!.bytes.subarray(0, length) }, sr2!, context!]);
    await running.service.idle();
    expect(await filesUnder(join(running.out, 'quarantine'))).toEqual([]);
    expect((await serviceStatus(running.store, running)).incomplete).toHaveLength(1);
    await writeFile(join(running.inbox, 'early', 'SR1.dcm'), sr1!.bytes);
    await running.service.idle();
    expect(await filesUnder(running.inbox)).toEqual([]);
    expect(await filesUnder(join(running.out, 'quarantine'))).toEqual([]);
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'stored' AND moved = 1")).toBe(2);
    expect(await filesUnder(join(running.out, 'letters'))).toHaveLength(2);
  });

  it('does not hold up idle(), and dexa status lists it as waiting', async () => {
    running = await startTestService();
    const study = syntheticStudy('waiting');
    const [sr1, sr2, context] = studyFiles(study);
    await drop(running.inbox, 'waiting', [{ name: 'SR1.dcm', bytes: firstHalf(sr1!.bytes) }, sr2!, context!]);
    await running.service.idle();
    expect(await filesUnder(running.inbox)).toEqual([join(running.inbox, 'waiting', 'SR1.dcm')]);
    const status = await serviceStatus(running.store, running);
    expect(status.incomplete).toEqual([expect.objectContaining({ path: join(running.inbox, 'waiting', 'SR1.dcm'), tries: 1 })]);
    expect(Date.parse(status.incomplete[0]!.quarantineAt) - Date.parse(status.incomplete[0]!.unchangedSince)).toBe(600_000);
    expect(formatStatus(status).join('\n')).toContain(`waiting as incomplete: 1\n  ${join(running.inbox, 'waiting', 'SR1.dcm')} (unchanged since `);
    // the other instance of its study is stored, but no letter is made while a file beside it is incomplete
    expect(status.files).toEqual({ stored: 1, context: 1 });
    expect(status.studies).toEqual({ 'waiting for an incomplete file': 1 });
    expect(await filesUnder(join(running.out, 'letters'))).toEqual([]);
    expect((await running.store.studies.byUid(fixtureUids(study).study))!.version).toBe(0);
  });

  it('is not archived under its record when it changed between its reading and its move: it is read again as a new file', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-changed-'));
    const day = new Date().toISOString().slice(0, 10);
    // a file where today's archive folder should be: the move fails and is retried later
    await mkdir(join(root, 'out', 'archive'), { recursive: true });
    await writeFile(join(root, 'out', 'archive', day), 'in the way');
    running = await startTestService({}, root, { retryMs: 300 });
    const before = syntheticStudy('rewritten', { spine: -1.0 });
    await drop(running.inbox, 'rw', studyFiles(before));
    await until(() => running!.count('SELECT COUNT(*) AS n FROM files WHERE outcome IS NOT NULL AND moved = 0') === 3);
    await until(async () => (await running!.store.studies.byUid(fixtureUids(before).study))?.version === 1); // letters made from what was read

    // the scanner writes SR1 again, same instance UID, other values, before the move succeeds
    const after = syntheticStudy('rewritten', { spine: -2.9 });
    const rewritten = studyFiles(after)[0]!.bytes;
    await writeFile(join(running.inbox, 'rw', 'SR1.dcm'), rewritten);
    await unlink(join(root, 'out', 'archive', day));
    await until(async () => (await filesUnder(running!.inbox)).length === 0);
    await running.service.idle();

    const archived = (await filesUnder(join(root, 'out', 'archive'))).filter((f) => f.endsWith('/rw/SR1.dcm'));
    expect(archived).toHaveLength(1);
    const archivedSha = sha256(await readFile(archived[0]!));
    expect(archivedSha).toBe(sha256(rewritten));
    expect(running.rows("SELECT sha256 FROM files WHERE inbox_path = 'rw/SR1.dcm' AND moved = 1")).toEqual([{ sha256: archivedSha }]);
    const rows = running.rows<{ id: number; sha256: string; moved: number; changed_after_read: number; outcome: string }>("SELECT id, sha256, moved, changed_after_read, outcome FROM files WHERE inbox_path = 'rw/SR1.dcm' ORDER BY id");
    expect(rows.map(({ moved, changed_after_read, outcome }) => ({ moved, changed_after_read, outcome }))).toEqual([
      { moved: 0, changed_after_read: 1, outcome: 'stored' },
      { moved: 1, changed_after_read: 0, outcome: 'stored' },
    ]);
    expect((await running.store.files.events(rows[0]!.id)).map((e) => e.event)).toEqual(['received', 'parsed', 'stored', 'rendered', 'released', 'changed']);

    // what the store holds for that instance is the rewritten file's reading, and the letters follow it
    const stored = running.rows<{ file_ref: number; extraction: string }>('SELECT i.file_ref, e.extraction FROM instances i JOIN instance_extractions e ON e.instance_ref = i.id WHERE i.sop_instance_uid = ?', fixtureUids(after).instance(0));
    expect(stored.map((s) => s.file_ref)).toEqual([rows[1]!.id]);
    expect((JSON.parse(stored[0]!.extraction) as InstanceExtraction).measurements).toEqual(readOk(rewritten).measurements);
    const study = (await running.store.studies.byUid(fixtureUids(after).study))!;
    expect((await running.store.audit.of(study.id)).map((entry) => entry.action)).toContain('withdrawn');
    const current = running.row<{ result: string }>('SELECT result FROM classifications WHERE study_ref = ? AND version = ?', study.id, study.version)!;
    expect(JSON.parse(current.result).measurements).toEqual(expect.arrayContaining(readOk(rewritten).measurements.map((m) => expect.objectContaining({ region: m.region, side: m.side, bmd: m.bmd }))));
    expect((await serviceStatus(running.store, running)).files).toEqual({ stored: 2, context: 1, 'changed after read': 1 });
  });

  it('read again by the watcher before its failed move is retried, it is not taken for a duplicate of its own earlier reading', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-changed-'));
    const day = new Date().toISOString().slice(0, 10);
    await mkdir(join(root, 'out', 'archive'), { recursive: true });
    await writeFile(join(root, 'out', 'archive', day), 'in the way');
    running = await startTestService({}, root, { retryMs: 600_000 }); // no retry during the test: only the watcher sees the change
    const before = syntheticStudy('reread', { spine: -1.0 });
    await drop(running.inbox, 'rr', studyFiles(before));
    await until(() => running!.count('SELECT COUNT(*) AS n FROM files WHERE outcome IS NOT NULL AND moved = 0') === 3);

    await unlink(join(root, 'out', 'archive', day));
    const rewritten = studyFiles(syntheticStudy('reread', { spine: -2.9 }))[0]!.bytes;
    await writeFile(join(running.inbox, 'rr', 'SR1.dcm'), rewritten);
    await until(async () => !(await filesUnder(running!.inbox)).includes(join(running!.inbox, 'rr', 'SR1.dcm')));
    // its move is recorded once the intake runs dry
    await until(() => running!.count("SELECT COUNT(*) AS n FROM files WHERE inbox_path = 'rr/SR1.dcm' AND moved = 1") === 1);

    const archived = (await filesUnder(join(root, 'out', 'archive'))).filter((f) => f.includes('/rr/SR1.dcm'));
    expect(archived.map((f) => f.slice(f.indexOf(day) + day.length))).toEqual(['/rr/SR1.dcm']);
    expect(sha256(await readFile(archived[0]!))).toBe(sha256(rewritten));
    const rows = running.rows<{ id: number; moved: number; changed: number; outcome: string }>("SELECT id, moved, changed_after_read AS changed, outcome FROM files WHERE inbox_path = 'rr/SR1.dcm' ORDER BY id");
    expect(rows.map(({ moved, changed, outcome }) => ({ moved, changed, outcome }))).toEqual([
      { moved: 0, changed: 1, outcome: 'stored' },
      { moved: 1, changed: 0, outcome: 'stored' },
    ]);
    const stored = running.rows<{ file_ref: number }>('SELECT file_ref FROM instances WHERE sop_instance_uid = ?', fixtureUids(before).instance(0));
    expect(stored.map((s) => s.file_ref)).toEqual([rows[1]!.id]);
  });
});
