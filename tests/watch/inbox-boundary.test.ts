import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import type { FileKind } from '../../src/store/file-records.ts';
import { StudyStore } from '../../src/store/study-store.ts';
import { serviceStatus } from '../../src/watch/status.ts';
import { cleanUp, drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

/** Every entry under `folder` with its kind, bytes and modification time: to see that nothing changed. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true });
  const result: Record<string, string> = {};
  for (const name of entries.map(String).sort()) {
    const info = await lstat(join(folder, name));
    result[name] = info.isFile() ? `${info.mtimeMs} ${(await readFile(join(folder, name))).toString('base64')}` : `${info.mode}`;
  }
  return result;
}

/** Every symbolic link under `folder`. */
async function linksUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isSymbolicLink()).map((entry) => join(entry.parentPath, entry.name));
}

const rows = (running: TestService, sql: string) => running.rows(sql);

/** What a run that stopped between committing a file's outcome and moving it leaves in the store. */
async function committedNotMoved(database: string, file: { inboxPath: string; size: number; sha256: string; kind: FileKind; destination: string; outcome: 'quarantined' | 'ignored'; reason?: string }): Promise<void> {
  const store = await StudyStore.open(database);
  try {
    await store.transaction(async (tx) => {
      const id = await tx.files.recordReceived({ inboxPath: file.inboxPath, size: file.size, mtimeMs: 0, sha256: file.sha256, kind: file.kind });
      await tx.files.recordOutcome(id, file.outcome, file.destination, file.reason === undefined ? {} : { reason: file.reason });
    });
  } finally {
    await store.close();
  }
}

describe('the inbox is a boundary: symbolic links are quarantined, never followed', () => {
  let running: TestService | null = null;
  let root = '';
  afterEach(async () => ([running, root] = await cleanUp(running, root)));

  it('links to a folder and a file outside: the outside stays as it was, the links are quarantined with their reason', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-links-'));
    const outside = join(root, 'outside');
    const secret = syntheticStudy('outside-folder');
    await drop(outside, 'folder', [...studyFiles(secret), { name: 'notes.txt', bytes: 'not yours' }]);
    const lone = studyFiles(syntheticStudy('outside-file'))[0]!;
    await writeFile(join(outside, 'lone.dcm'), lone.bytes);
    const before = await snapshot(outside);

    await mkdir(join(root, 'inbox'), { recursive: true });
    await symlink(join(outside, 'folder'), join(root, 'inbox', 'x'));
    await symlink(join(outside, 'lone.dcm'), join(root, 'inbox', 'y.dcm'));
    await symlink('/etc/passwd', join(root, 'inbox', 'passwd.dcm'));
    const study = syntheticStudy('inside');
    await drop(join(root, 'inbox'), 'inside', studyFiles(study));
    running = await startTestService({}, root);
    await running.service.idle();

    expect(await snapshot(outside)).toEqual(before);
    expect(await filesUnder(running.inbox)).toEqual([]);
    expect(await readdir(running.inbox)).toEqual(['inside']);
    const quarantined = rows(running, "SELECT inbox_path, kind, reason FROM files WHERE outcome = 'quarantined' AND moved = 1 ORDER BY inbox_path");
    expect(quarantined.map((row) => [row['inbox_path'], row['kind']])).toEqual([['passwd.dcm', 'other'], ['x', 'other'], ['y.dcm', 'other']]);
    expect(quarantined.every((row) => String(row['reason']).startsWith('a symbolic link'))).toBe(true);
    const reason = await readFile((await filesUnder(join(running.out, 'quarantine'))).find((path) => path.endsWith('/x.reason.txt'))!, 'utf8');
    expect(reason).toContain(join(outside, 'folder'));
    // nothing from outside was read: the store knows the inside study only
    const studies = rows(running, 'SELECT study_uid FROM studies').map((row) => row['study_uid']);
    expect(studies).toEqual([fixtureUids(study).study]);
    expect(rows(running, 'SELECT inbox_path FROM files').map((row) => row['inbox_path']).every((path) => !String(path).includes('notes'))).toBe(true);
    // and no link in out/ points anywhere (problem 10: quarantine kept a link to /etc/passwd)
    expect(await linksUnder(running.out)).toEqual([]);
    expect((await stat('/etc/passwd')).isFile()).toBe(true);
  });

  it('a link to a folder inside the inbox: its files are taken once, by their own path, and the link is quarantined', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-links-'));
    const study = syntheticStudy('real');
    await drop(join(root, 'inbox'), 'real', studyFiles(study));
    await symlink('real', join(root, 'inbox', 'alias'));
    running = await startTestService({}, root);
    await running.service.idle();

    const taken = rows(running, 'SELECT inbox_path, outcome FROM files ORDER BY inbox_path').map((row) => `${row['inbox_path']} ${row['outcome']}`);
    expect(taken).toEqual(['alias quarantined', 'real/SR1.dcm stored', 'real/SR2.dcm stored', 'real/context.json context']);
    expect(rows(running, "SELECT COUNT(*) AS n FROM files WHERE outcome = 'duplicate'")[0]!['n']).toBe(0);
    expect(await readdir(running.inbox)).toEqual(['real']); // the emptied folder stays, the link is gone
    expect(await linksUnder(running.out)).toEqual([]);
    expect((await filesUnder(join(running.out, 'letters'))).length).toBe(2);
  });

  it('a link whose quarantine was committed before a crash is finished at the next start, still without following it', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-links-'));
    const outside = join(root, 'outside');
    await drop(outside, '', [{ name: 'precious.dcm', bytes: 'keep me' }]);
    await mkdir(join(root, 'inbox'), { recursive: true });
    await symlink(join(outside, 'precious.dcm'), join(root, 'inbox', 'y.dcm'));
    const destination = join(root, 'out', 'quarantine', '2026-11-23', 'y.dcm');
    await committedNotMoved(join(root, 'data', 'dexa.db'), { inboxPath: 'y.dcm', size: 0, sha256: 'link', kind: 'other', outcome: 'quarantined', destination, reason: 'a symbolic link' });

    running = await startTestService({}, root);
    await running.service.idle();
    expect(await readFile(join(outside, 'precious.dcm'), 'utf8')).toBe('keep me');
    expect(await readdir(running.inbox)).toEqual([]);
    expect((await lstat(destination)).isFile()).toBe(true);
    expect(await readFile(destination, 'utf8')).toContain(join(outside, 'precious.dcm'));
    expect(await linksUnder(running.out)).toEqual([]);
    expect(rows(running, 'SELECT moved FROM files')).toEqual([{ moved: 1 }]);
  });

  it('a committed move whose destination now leads outside out/ through a link is refused, and the service still starts and works', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-links-'));
    const outside = join(root, 'outside');
    await mkdir(outside);
    await mkdir(join(root, 'out', 'archive'), { recursive: true });
    await symlink(outside, join(root, 'out', 'archive', 'away'));
    await drop(join(root, 'inbox'), '', [{ name: 'blocked.dcm', bytes: 'an export' }]);
    const sha256 = createHash('sha256').update('an export').digest('hex');
    await committedNotMoved(join(root, 'data', 'dexa.db'), { inboxPath: 'blocked.dcm', size: 9, sha256, kind: 'export', outcome: 'ignored', destination: join(root, 'out', 'archive', 'away', 'blocked.dcm') });

    running = await startTestService({}, root);
    const study = syntheticStudy('after-refusal');
    await drop(running.inbox, 'after', studyFiles(study));
    const end = Date.now() + 20_000;
    while ((await filesUnder(join(running.out, 'letters'))).length < 2 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await filesUnder(join(running.out, 'letters'))).length).toBe(2);
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(join(running.inbox, 'blocked.dcm'), 'utf8')).toBe('an export');
    expect(rows(running, "SELECT moved FROM files WHERE inbox_path = 'blocked.dcm'")).toEqual([{ moved: 0 }]);
  });

  it('a link that appears while the service runs is quarantined too, and its target is not taken', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-links-'));
    const outside = join(root, 'outside');
    await drop(outside, '', studyFiles(syntheticStudy('late-outside')));
    const before = await snapshot(outside);
    running = await startTestService({}, root);
    await symlink(outside, join(running.inbox, 'late'));
    await running.service.idle();
    expect(await snapshot(outside)).toEqual(before);
    expect(rows(running, 'SELECT inbox_path, outcome FROM files').map((row) => `${row['inbox_path']} ${row['outcome']}`)).toEqual(['late quarantined']);
    expect(await linksUnder(running.out)).toEqual([]);
  });

  it('dexa status counts a link waiting in the inbox, dangling or not, without following it', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-links-'));
    await mkdir(join(root, 'inbox'), { recursive: true });
    await symlink(join(root, 'nowhere'), join(root, 'inbox', 'dangling.dcm'));
    const store = await StudyStore.open(join(root, 'data', 'dexa.db'));
    try {
      const status = await serviceStatus(store, { inbox: join(root, 'inbox'), out: join(root, 'out') });
      expect(status.waiting).toBe(1);
      expect(status.oldestWaiting?.path).toBe(join(root, 'inbox', 'dangling.dcm'));
    } finally {
      await store.close();
    }
  });
});
