import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEXA } from '../helpers/run-cli.ts';

// The machine's own Node.js, where it is older than the one the project installs (Debian's is 20).
const OLDER_NODE = process.env['DEXA_OLDER_NODE'] ?? '/usr/bin/node';
const olderVersion = spawnSync(OLDER_NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const isOlder = Number(/^v(\d+)\./.exec(olderVersion)?.[1] ?? Number.NaN) < 24;
if (!isOlder) console.log(`older-Node.js test skipped: ${OLDER_NODE} is not a Node.js before 24; set DEXA_OLDER_NODE to one to run it`);

describe.skipIf(!isOlder)('dexa started by a Node.js older than 24', () => {
  it('says which Node.js it needs and how to run it, in one line, and exits 1', () => {
    const run = spawnSync(OLDER_NODE, [DEXA, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([`dexa needs Node.js 24 or newer; this is Node.js ${olderVersion.slice(1)}. Run it as \`npx dexa\` in the project folder, which uses the Node.js 24 the project installs.`]);
  });
});
