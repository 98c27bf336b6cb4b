import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/letters.ts';
import { runDexa } from '../helpers/run-cli.ts';

const FIXTURE = join(FIXTURES, '02-osteopenia-woman-58');

describe('dexa render', () => {
  let folder = '';
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('writes letters owner-only, like the service', async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-render-'));
    const out = join(folder, 'letters');
    const run = await runDexa(['render', '--letter', 'patient', '--out', out, '--date', '2026-11-23', FIXTURE]);
    expect(run.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    const letters = await readdir(out);
    expect(letters).toHaveLength(1);
    expect((await stat(join(out, letters[0]!))).mode & 0o777).toBe(0o600);
  });
});
