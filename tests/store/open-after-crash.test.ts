import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SQLITE_ENGINE = new URL('../../src/store/sqlite-engine.ts', import.meta.url).href;

/** Runs a snippet in a separate Node process with `openSqlite` imported; resolves with its output and signal. */
function inProcess(code: string): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { openSqlite } from ${JSON.stringify(SQLITE_ENGINE)};\n${code}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (_, signal) => resolve({ output, signal }));
  });
}

describe('opening the store after a crash', () => {
  let folder = '';
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('waits while another process recovers the write-ahead log, instead of failing "database is locked"', async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-open-'));
    const file = JSON.stringify(join(folder, 'dexa.db'));
    // a process that leaves a long write-ahead log behind: killed before any checkpoint
    const writer = await inProcess(`
      const db = openSqlite(${file});
      db.exec('PRAGMA wal_autocheckpoint = 0; CREATE TABLE filler (x TEXT)');
      const insert = db.prepare('INSERT INTO filler VALUES (?)');
      db.exec('BEGIN');
      for (let i = 0; i < 200000; i++) insert.run('x'.repeat(50));
      db.exec('COMMIT');
      process.kill(process.pid, 'SIGKILL');`);
    expect(writer.signal).toBe('SIGKILL');
    // a service restarting while someone runs `dexa status`: both open the store at once
    const openers = await Promise.all(Array.from({ length: 3 }, () => inProcess(`try { openSqlite(${file}).close(); console.log('opened'); } catch (error) { console.log(error.message); }`)));
    expect(openers.map((opener) => opener.output.trim())).toEqual(['opened', 'opened', 'opened']);
  });
});
