import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { DEXA, runDexa } from '../helpers/run-cli.ts';
import { drop, filesUnder, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { until } from '../helpers/until.ts';

const STUDIES = 40;

function startWatch(root: string): ChildProcess {
  return spawn(process.execPath, [DEXA, 'watch', '--no-web', '--inbox', join(root, 'inbox'), '--out', join(root, 'out'), '--db', join(root, 'data', 'dexa.db'), '--config', join(root, 'dexa.yaml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEXA_LOG_LEVEL: 'warn' },
  });
}

const pdfs = async (root: string) => [...(await filesUnder(join(root, 'out', 'letters'))), ...(await filesUnder(join(root, 'out', 'review')))].filter((f) => f.endsWith('.pdf'));

describe('a crash in the middle of a backlog', () => {
  let root = '';
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('after SIGKILL and a restart, every file is taken exactly once and every study has exactly its two letters', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-crash-'));
    await writeFile(join(root, 'dexa.yaml'), 'watch:\n  settleSeconds: 0.2\n  quietSeconds: 0.1\n');
    const studies = Array.from({ length: STUDIES }, (_, i) => syntheticStudy(`crash-${i}`));
    for (const study of studies) await drop(join(root, 'inbox'), study.id, studyFiles(study));
    const total = STUDIES * 3;

    // first kill: early in the intake, files half taken
    const first = startWatch(root);
    await until(async () => (await filesUnder(join(root, 'out', 'archive'))).length >= 5, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect((await filesUnder(join(root, 'inbox'))).length).toBeGreaterThan(0);

    // second kill: with letters half written
    const middle = startWatch(root);
    await until(async () => (await pdfs(root)).length >= 4, 60_000);
    middle.kill('SIGKILL');
    await new Promise((resolve) => middle.once('exit', resolve));
    expect((await pdfs(root)).length).toBeLessThan(STUDIES * 2);

    const second = startWatch(root);
    await until(async () => (await filesUnder(join(root, 'inbox'))).length === 0 && (await pdfs(root)).length === STUDIES * 2, 120_000);
    // let the quiet period pass and any due study finish before stopping gracefully
    await new Promise((resolve) => setTimeout(resolve, 1000));
    second.kill('SIGTERM');
    const code = await new Promise((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);

    const db = new DatabaseSync(join(root, 'data', 'dexa.db'));
    const rows = db.prepare('SELECT inbox_path, outcome, moved FROM files').all() as { inbox_path: string; outcome: string; moved: number }[];
    const byPath = new Map<string, number>();
    for (const row of rows) byPath.set(row.inbox_path, (byPath.get(row.inbox_path) ?? 0) + 1);
    expect(byPath.size).toBe(total);
    expect([...byPath.values()].every((n) => n === 1)).toBe(true);
    expect(rows.every((row) => row.moved === 1 && (row.outcome === 'stored' || row.outcome === 'context'))).toBe(true);
    expect((db.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n).toBe(STUDIES * 2);
    expect((db.prepare('SELECT COUNT(*) AS n FROM studies WHERE due_at IS NULL AND version >= 1').get() as { n: number }).n).toBe(STUDIES);
    expect((db.prepare("SELECT COUNT(*) AS n FROM letters WHERE state IN ('released', 'review')").get() as { n: number }).n).toBe(STUDIES * 2);
    db.close();

    const archived = await filesUnder(join(root, 'out', 'archive'));
    expect(archived.filter((f) => f.endsWith('.dcm'))).toHaveLength(STUDIES * 2);
    expect(archived.some((f) => f.includes('/duplicates/'))).toBe(false);
    expect(await pdfs(root)).toHaveLength(STUDIES * 2);
    const everything = await readdir(join(root, 'out'), { recursive: true });
    expect(everything.filter((name) => String(name).includes('.partial'))).toEqual([]);
    // no letter under a name the store does not know (its studies share names: ~N is theirs, not a copy)
    const status = await runDexa(['status', '--inbox', join(root, 'inbox'), '--out', join(root, 'out'), '--db', join(root, 'data', 'dexa.db'), '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ unknownLetters: [], temporaryFiles: [], incomplete: [] });
  }, 300_000);
});
