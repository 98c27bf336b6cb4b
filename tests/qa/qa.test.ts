import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { FIXTURES } from '../helpers/letters.ts';
import { runDexa } from '../helpers/run-cli.ts';

describe('dexa qa', () => {
  let copy = '';
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'dexa-qa-'));
    for (const id of ['02-osteopenia-woman-58', '17-vfa-biconcave-woman-75']) await cp(join(FIXTURES, id), join(copy, id), { recursive: true });
  });
  afterAll(() => rm(copy, { recursive: true, force: true }));

  it('passes on the committed fixtures', async () => {
    const run = await runDexa(['qa']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(`${FIXTURE_STUDIES.length} passed, 0 failed`);
    expect(run.stdout).toMatch(/17-vfa-biconcave-woman-75\s+severe_osteoporosis\s+severe_osteoporosis\s+PASS/);
  }, 90_000); // every fixture, both letters: grows with the fixtures

  it('fails, naming the study and the line, when a golden letter text changes', async () => {
    const golden = join(copy, '02-osteopenia-woman-58', 'golden', 'gp.nl.txt');
    await writeFile(golden, (await readFile(golden, 'utf8')).replace('-1,8 -0,8', '-1,9 -0,8'));
    const run = await runDexa(['qa', copy]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/02-osteopenia-woman-58\s+osteopenia\s+osteopenia\s+FAIL/);
    expect(run.stdout).toContain('golden/gp.nl.txt: line');
    expect(run.stdout).toMatch(/17-vfa-biconcave-woman-75\s.*PASS/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
  });

  it('fails when the classification golden says otherwise', async () => {
    const golden = join(copy, '17-vfa-biconcave-woman-75', 'golden', 'classification.json');
    await writeFile(golden, (await readFile(golden, 'utf8')).replace('"severe_osteoporosis"', '"osteoporosis"'));
    const run = await runDexa(['qa', copy]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('category: expected osteoporosis, got severe_osteoporosis');
  });

  it('--update rewrites the goldens, after which it passes', async () => {
    expect((await runDexa(['qa', '--update', copy])).code).toBe(0);
    const run = await runDexa(['qa', copy]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });
});
