import { chmod, lstat, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { runDexa } from '../helpers/run-cli.ts';
import { cleanUp, drop, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

/** Every file and folder under `folder` (itself included) whose mode is not the one expected. */
async function wrongModes(folder: string, file: number, dir: number): Promise<string[]> {
  const wrong: string[] = [];
  const paths = [folder, ...(await readdir(folder, { recursive: true })).map((name) => join(folder, String(name)))];
  for (const path of paths) {
    const info = await lstat(path);
    const mode = info.mode & 0o7777;
    const expected = info.isDirectory() ? dir : info.isFile() ? file : -1;
    if (mode !== expected) wrong.push(`${path} ${mode.toString(8)}`);
  }
  return wrong;
}

async function fileCount(folder: string): Promise<number> {
  return (await readdir(folder, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile()).length;
}

describe('what the service writes is owner-only by default, or as configured', () => {
  let running: TestService | null = null;
  let root = '';
  afterEach(async () => ([running, root] = await cleanUp(running, root)));

  /** A released study, a held one, a corrupt file (quarantine with reason) and a note, dropped world-readable. */
  // DICM → DXCM: unreadable at once (a truncated file would wait, and its study with it)
  const notDicom = (bytes: Uint8Array) => Uint8Array.from(bytes, (byte, i) => (i === 129 ? 0x58 : byte));

  async function fillInbox(inbox: string) {
    const released = syntheticStudy('modes-released');
    const held = { ...syntheticStudy('modes-held'), context: undefined }; // menopausal status unknown: held
    const files = studyFiles(released);
    await drop(inbox, 'released', [...files, { name: 'broken.dcm', bytes: notDicom(files[0]!.bytes) }, { name: 'notes.txt', bytes: 'a note' }]);
    await drop(inbox, 'held', studyFiles(held));
    for (const name of ['SR1.dcm', 'broken.dcm', 'notes.txt']) await chmod(join(inbox, 'released', name), 0o644);
    return { held };
  }

  it('files 0600 and folders 0700 under out/ and data/, the store with its -wal and -shm included', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-modes-'));
    running = await startTestService({}, root);
    await fillInbox(running.inbox);
    await running.service.idle();
    expect(await fileCount(join(root, 'out'))).toBeGreaterThanOrEqual(12); // archive, quarantine and reason, letters, review
    expect((await readdir(join(root, 'data'))).sort()).toEqual(['dexa.db', 'dexa.db-shm', 'dexa.db-wal', 'dexa.db.lock', 'dexa.db.pid']);
    expect(await wrongModes(join(root, 'out'), 0o600, 0o700)).toEqual([]);
    expect(await wrongModes(join(root, 'data'), 0o600, 0o700)).toEqual([]);
  });

  it("a configured '0640' and '0750' hold for the service and for dexa review approve and reject", async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-modes-'));
    const files = { fileMode: '0640', folderMode: '0750' };
    running = await startTestService({}, root, { files });
    const { held } = await fillInbox(running.inbox);
    const other = { ...syntheticStudy('modes-rejected'), context: undefined };
    await drop(running.inbox, 'rejected', studyFiles(other));
    await running.service.idle();
    expect(await wrongModes(join(root, 'data'), 0o640, 0o750)).toEqual([]);
    const { inbox, out, database } = running;
    await running.close();
    running = null;

    await writeFile(join(root, 'dexa.yaml'), "files:\n  fileMode: '0640'\n  folderMode: '0750'\n");
    const paths = ['--inbox', inbox, '--out', out, '--db', database, '--config', join(root, 'dexa.yaml')];
    expect((await runDexa(['review', 'approve', fixtureUids(held).study, '--by', 'dr. Jansen', ...paths])).code).toBe(0);
    expect((await runDexa(['review', 'reject', fixtureUids(other).study, '--reason', 'opnieuw', '--by', 'dr. Jansen', ...paths])).code).toBe(0);
    expect((await readdir(join(root, 'out', 'rejected'))).length).toBe(2);
    expect(await wrongModes(join(root, 'out'), 0o640, 0o750)).toEqual([]);
    expect(await wrongModes(join(root, 'data'), 0o640, 0o750)).toEqual([]);
  });
});
