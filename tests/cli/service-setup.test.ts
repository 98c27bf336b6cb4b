import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDexa, runServiceOnce } from '../helpers/run-cli.ts';

/** One configuration for every verb: what `dexa watch` ran with is what `status` and `review` use. */
describe('the store remembers the service\'s folders and configuration', () => {
  let root = '';
  let config = '';
  let db = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-setup-'));
    config = join(root, 'department.yaml');
    await writeFile(config, 'department:\n  hospital: Ziekenhuis Rivierenland\n');
    db = join(root, 'data', 'dexa.db');
    await mkdir(join(root, 'elsewhere'));
    // the service stops at once (nothing to do): it has recorded what it runs with
    const watch = await runServiceOnce(['--inbox', join(root, 'in'), '--out', join(root, 'uit'), '--db', db, '--config', config]);
    expect(watch.stdout).toContain('watching the inbox');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('dexa status needs only --db: the inbox and out folders come from the store', async () => {
    const run = await runDexa(['status', '--db', db, '--json'], { cwd: join(root, 'elsewhere') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ waiting: 0, unknownLetters: [] });
  });

  it('a --config other than the service\'s is refused, naming the one it runs with', async () => {
    const other = join(root, 'other.yaml');
    await writeFile(other, 'language: en\n');
    const run = await runDexa(['review', 'approve', '1', '--by', 'dr. Jansen', '--db', db, '--config', other]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`dexa: --config ${other} is not the service's: the service on ${db} runs with ${config}; leave --config out\n`);
  });

  it('the same --config, or none, is accepted', async () => {
    for (const args of [['--config', config], []]) {
      const run = await runDexa(['review', 'approve', '9.9.9', '--by', 'dr. Jansen', '--db', db, ...args]);
      expect(run.stderr).toContain("no study '9.9.9'"); // got as far as looking for the study
      expect(run.code).toBe(2);
    }
  });
});
