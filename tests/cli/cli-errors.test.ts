import { spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/letters.ts';
import { runDexa, runServiceOnce, type CliRun, type RunOptions } from '../helpers/run-cli.ts';

const FIXTURE = join(FIXTURES, '02-osteopenia-woman-58');

/**
 * Every user-caused error of every verb: exactly one line on stderr, naming the path, no stack
 * trace, and the exit code the README documents.
 *
 * Every test runs its own `dexa` processes on paths of its own (the shared store is only read),
 * so the tests of each block run at once (describe.concurrent): the file waits on process
 * start-up, not on work.
 */
function expectOneLine(run: CliRun, code: number, ...parts: string[]): void {
  expect(run.stderr).toMatch(/^dexa: [^\n]+\n$/);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
  for (const part of parts) expect(run.stderr).toContain(part);
  expect(run.code).toBe(code);
}

/** Five processes at a time on two cores: a test waits longer for its own than when alone. */
const SIDE_BY_SIDE = { timeout: 90_000 };

let root = '';
let file = ''; // a regular file, where a folder is wanted
let store = ''; // a real store, made by `dexa watch`
let paths: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dexa-cli-errors-'));
  await chmod(root, 0o755); // the runs as another account below must get in
  file = join(root, 'a-file');
  await writeFile(file, 'not a folder\n');
  // a store and its folders, as the service leaves them (it stops at once: nothing to do)
  store = join(root, 'data', 'dexa.db');
  paths = ['--inbox', join(root, 'inbox'), '--out', join(root, 'out'), '--db', store];
  expect((await runServiceOnce(paths)).stdout).toContain('watching the inbox');
  expect(existsSync(store)).toBe(true);
  expect(serviceRecorded(store)).toBe(true);
}, 90_000); // (the service starts in a second or two; far longer on a loaded machine)

/** Whether `dexa watch` has recorded its folders (service_setup) in the store yet. */
function serviceRecorded(database: string): boolean {
  if (!existsSync(database)) return false;
  try {
    const db = new DatabaseSync(database, { readOnly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM service_setup').get() as { n: number }).n > 0;
    } finally {
      db.close();
    }
  } catch {
    return false; // not made yet
  }
}
afterAll(() => rm(root, { recursive: true, force: true }));

describe.concurrent('a missing path', SIDE_BY_SIDE, () => {
  it('dexa ingest', async () => {
    expectOneLine(await runDexa(['ingest', join(root, 'nope')]), 2, `${join(root, 'nope')}: no such file or folder; check the path`);
  });
  it('dexa render', async () => {
    expectOneLine(await runDexa(['render', '--out', join(root, 'letters-missing'), join(root, 'nope')]), 2, join(root, 'nope'));
  });
  it('dexa render --context', async () => {
    expectOneLine(await runDexa(['render', '--out', join(root, 'letters-missing'), '--context', join(root, 'nope.json'), FIXTURE]), 2, `${join(root, 'nope.json')}: no such context file; check --context`);
  });
  it('dexa qa', async () => {
    expectOneLine(await runDexa(['qa', '/nonexistent']), 2, '/nonexistent: no such file or folder; check the path');
  });
  it('dexa status and review on --inbox or --out that is not the service\'s', async () => {
    expectOneLine(await runDexa(['status', ...paths, '--out', join(root, 'typo')]), 2, `--out ${join(root, 'typo')} is not the service's`, `runs with --out ${join(root, 'out')}`);
    expectOneLine(await runDexa(['status', ...paths, '--inbox', file]), 2, `--inbox ${file} is not the service's`);
    expectOneLine(await runDexa(['review', 'approve', '1', '--by', 'dr. Jansen', ...paths, '--out', join(root, 'typo')]), 2, `--out ${join(root, 'typo')} is not the service's`);
  });
  it('dexa status and review on --inbox or --out that is not there, on a store no service has run on', async () => {
    const bare = join(root, 'bare.db');
    await copyFile(store, bare);
    const db = new DatabaseSync(bare);
    db.exec('DELETE FROM service_setup');
    db.close();
    const bareArgs = ['--inbox', join(root, 'inbox'), '--out', join(root, 'out'), '--db', bare];
    expectOneLine(await runDexa(['status', ...bareArgs, '--out', join(root, 'typo')]), 2, `${join(root, 'typo')}: no such folder; check --out`);
    expectOneLine(await runDexa(['status', ...bareArgs, '--inbox', file]), 2, `${file}: is a file, not a folder; check --inbox`);
    expectOneLine(await runDexa(['review', 'approve', '1', '--by', 'dr. Jansen', ...bareArgs, '--out', join(root, 'typo')]), 2, `${join(root, 'typo')}: no such folder`);
  });
});

describe.concurrent('a store that is not there is never created, except by dexa watch', SIDE_BY_SIDE, () => {
  const verbs = [['status'], ['review', 'list'], ['review', 'show', '1'], ['review', 'approve', '1', '--by', 'dr. Jansen'], ['review', 'reject', '1', '--reason', 'opnieuw', '--by', 'dr. Jansen']];
  it.each(verbs.map((verb) => [verb.join(' '), verb] as const))('dexa %s', async (_name, verb) => {
    for (const db of [join(root, 'typo', 'x.db'), join(file, 'x.db')]) {
      const run = await runDexa([...verb, ...paths, '--db', db]);
      expectOneLine(run, 2, `${db}: no store here; check --db`);
      expect(existsSync(db)).toBe(false);
    }
    expect(existsSync(join(root, 'typo'))).toBe(false);
  });
  it('a folder or a file that is not a store', async () => {
    expectOneLine(await runDexa(['status', ...paths, '--db', root]), 2, `${root}: is a folder, not a store`);
    expectOneLine(await runDexa(['review', 'list', ...paths, '--db', file]), 2, `${file}: cannot be used as the store (file is not a database)`);
    expectOneLine(await runDexa(['watch', ...paths, '--db', root]), 2, `${root}: is a folder, not a store`);
    expectOneLine(await runDexa(['watch', ...paths, '--db', file]), 2, `${file}: cannot be used as the store (file is not a database)`);
  });
  it('a store from a newer dexa', async () => {
    const newer = join(root, 'newer.db');
    await copyFile(store, newer);
    const db = new DatabaseSync(newer);
    db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'future', 't')").run();
    db.close();
    expectOneLine(await runDexa(['review', 'list', ...paths, '--db', newer]), 2, `${newer}: the store is at schema version 999, newer than this program`);
    expectOneLine(await runDexa(['watch', ...paths, '--db', newer]), 2, `${newer}: the store is at schema version 999`);
  });
  it('the real store still answers', async () => {
    expect((await runDexa(['status', ...paths])).code).toBe(0);
  });
});

describe.concurrent('a file where a folder is needed (EEXIST), a path through a file (ENOTDIR)', SIDE_BY_SIDE, () => {
  it('dexa render --out', async () => {
    expectOneLine(await runDexa(['render', '--out', file, FIXTURE]), 2, `${file}: is a file where a folder is needed`);
    expectOneLine(await runDexa(['render', '--out', join(file, 'letters'), FIXTURE]), 2, `${join(file, 'letters')}: part of this path is a file, not a folder`);
  });
  it('dexa watch --out, --inbox, --db', async () => {
    const fresh = (name: string) => ['--inbox', join(root, name, 'inbox'), '--out', join(root, name, 'out'), '--db', join(root, name, 'dexa.db')];
    expectOneLine(await runDexa(['watch', ...fresh('w1'), '--out', file]), 2, `${file}: is a file where a folder is needed`);
    expectOneLine(await runDexa(['watch', ...fresh('w2'), '--inbox', join(file, 'inbox')]), 2, join(file, 'inbox'));
    expectOneLine(await runDexa(['watch', ...fresh('w3'), '--db', join(file, 'dexa.db')]), 2, file);
  });
  it('dexa qa on a file, dexa ingest --context on a folder (EISDIR)', async () => {
    expectOneLine(await runDexa(['qa', file]), 2, `${file}: part of this path is a file`);
    expectOneLine(await runDexa(['ingest', '--context', root, FIXTURE]), 2, `${root}: is a folder; give --context the context JSON file`);
    expectOneLine(await runDexa(['render', '--out', join(root, 'context-out'), '--context', root, FIXTURE]), 2, `${root}: is a folder`);
  });
});

describe.concurrent('a full disk (ENOSPC)', SIDE_BY_SIDE, () => {
  it.skipIf(!existsSync('/dev/full'))('dexa ingest --json into /dev/full', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      expectOneLine(await runDexa(['ingest', '--json', FIXTURE], { stdoutFd: full }), 2, 'output: the disk is full; free some space and run again');
    } finally {
      closeSync(full);
    }
  });
});

// Root may write anywhere whatever the modes say: a folder it may not write is met by running
// dexa as another account (nobody), when that account can read the project; otherwise skipped.
const asRoot = process.getuid?.() === 0;
const other: RunOptions = asRoot ? { uid: 65534, gid: 65534 } : {};
const otherCanRun = !asRoot || spawnSync(process.execPath, [join(FIXTURES, '..', 'bin', 'dexa.js'), '--help'], { uid: 65534, gid: 65534, stdio: 'ignore' }).status === 0;

describe.concurrent('a folder that may not be written (EACCES)', SIDE_BY_SIDE, () => {
  it.skipIf(!otherCanRun)('dexa render --out and dexa watch --out', async () => {
    const locked = join(root, 'locked');
    await mkdir(locked, { mode: 0o555 });
    await chmod(locked, 0o555);
    expectOneLine(await runDexa(['render', '--out', join(locked, 'letters'), FIXTURE], other), 2, `${join(locked, 'letters')}: permission denied`);
    const open = join(root, 'open'); // where the other account may write: the inbox and the store
    await mkdir(open, { mode: 0o777 });
    await chmod(open, 0o777);
    const run = await runDexa(['watch', '--inbox', join(open, 'inbox'), '--out', join(locked, 'out'), '--db', join(open, 'dexa.db')], other);
    expectOneLine(run, 2, `${join(locked, 'out')}: permission denied`);
    // an --out that is there but may not be written: its first sub-folder is refused
    const again = await runDexa(['watch', '--inbox', join(open, 'inbox'), '--out', locked, '--db', join(open, 'dexa.db')], other);
    expectOneLine(again, 2, `${locked}/`, ': permission denied');
  });
});

// A read-only file system (EROFS), mounted in a private namespace for the one run, where the system allows it.
const canUnshare = spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0;
describe.concurrent('a read-only file system (EROFS), a small one that fills up (ENOSPC)', SIDE_BY_SIDE, () => {
  it.skipIf(!canUnshare)('dexa render --out', async () => {
    const mount = join(root, 'read-only');
    await mkdir(mount);
    const wrapper = ['unshare', '-rm', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"', mount];
    expectOneLine(await runDexa(['render', '--out', join(mount, 'letters'), FIXTURE], { wrapper }), 2, `${join(mount, 'letters')}: is on a read-only file system`);
  });
  it.skipIf(!canUnshare)('dexa render --out on a disk that fills up (ENOSPC while writing a letter)', async () => {
    const mount = join(root, 'tiny');
    await mkdir(mount);
    const wrapper = ['unshare', '-rm', 'sh', '-c', 'mount -t tmpfs -o size=16k tmpfs "$0" && exec "$@"', mount];
    const run = await runDexa(['render', '--out', mount, FIXTURE], { wrapper });
    expectOneLine(run, 2, `${mount}/`, '.pdf: the disk is full; free some space and run again');
  });
});

describe.concurrent('dexa render: dates and inputs', SIDE_BY_SIDE, () => {
  it.each(['2026-02-30', '2026-13-01', '2025-02-29', '2026-04-31', '26-1-1'])('--date %s is refused as usage (exit 1)', async (date) => {
    const out = join(root, `date-${date}`);
    expectOneLine(await runDexa(['render', '--date', date, '--out', out, FIXTURE]), 1, `--date must be a real date as YYYY-MM-DD, not '${date}'`);
    expect(existsSync(out)).toBe(false);
  });
  it('--date 2028-02-29 (a leap day) is a date', async () => {
    const run = await runDexa(['render', '--letter', 'patient', '--date', '2028-02-29', '--out', join(root, 'leap'), FIXTURE]);
    expect(run.code).toBe(0);
  });
  it('no exports found: exit 2 with a message', async () => {
    const empty = join(root, 'empty');
    await mkdir(join(empty, 'notes'), { recursive: true });
    await writeFile(join(empty, 'notes', 'README.txt'), 'no exports here\n');
    const out = join(root, 'empty-out');
    expectOneLine(await runDexa(['render', '--out', out, empty]), 2, `no DXA exports found in ${empty}`);
    expectOneLine(await runDexa(['ingest', empty]), 2, `no DXA exports found in ${empty}`);
    expect(await readdir(out)).toEqual([]);
  });
});
