import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * Each test file leaves a note while it runs, under the folder the run's teardown reads: a test
 * process that dies (a native crash, the kernel's OOM killer) leaves its note behind, so the run
 * names the file instead of only "worker exited unexpectedly".
 */
const folder = process.env['DEXA_TEST_WITNESS'];
const note = folder ? join(folder, `running-${process.pid}.json`) : null;

beforeAll(() => {
  if (note) writeFileSync(note, JSON.stringify({ file: expect.getState().testPath, startedAt: new Date().toISOString() }));
});

afterAll(() => {
  if (!note || !folder) return;
  rmSync(note, { force: true });
  // peak memory per file, in kB: kept to name the largest files if a process is ever killed for memory
  writeFileSync(join(folder, `done-${process.pid}-${Date.now()}.json`), JSON.stringify({ file: expect.getState().testPath, maxRssKB: process.resourceUsage().maxRSS }));
});
