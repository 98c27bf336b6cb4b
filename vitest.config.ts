import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files, measured: started first, so that on a fresh clone (no timing cache, as in CI)
 * none of them is left running alone at the end while the other worker idles.
 */
const LONGEST_FIRST = [
  'tests/watch/kill.test.ts',
  // beside the kill test, whose rounds are timed, an in-process suite rather than Chromium
  'tests/web/context-entry.test.ts',
  'tests/web/browser.test.ts',
  'tests/cli/cli-errors.test.ts',
  'tests/watch/multi-instance.test.ts',
  'tests/web/study.test.ts',
  'tests/web/admin.test.ts',
  'tests/network/receiver.test.ts',
  'tests/qa/qa.test.ts',
  'tests/watch/study-history.test.ts',
  'tests/watch/service.test.ts',
  'tests/watch/operations-cli.test.ts',
  'tests/watch/crash.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return at === -1 ? LONGEST_FIRST.length : at;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

// where test processes leave a note per running file and Node its fatal-error reports (tests/setup)
const witness = (process.env['DEXA_TEST_WITNESS'] ??= mkdtempSync(join(tmpdir(), 'dexa-test-witness-')));

/**
 * Suites of pure functions over bytes, models and PDFs: they mock nothing and start nothing, so
 * they share their worker's modules (imports were a seventh of the suite's time); the rest, which
 * start services, processes and browsers or replace modules, each get a fresh process.
 */
const SHARED_FOLDERS = ['clinical', 'config', 'dicom', 'fixtures', 'fonts', 'ingest', 'letters', 'model', 'readers', 'results'];
const sharedModules = SHARED_FOLDERS.map((folder) => `tests/${folder}/**/*.test.ts`);
// every other folder of tests (a new one too), and a shared folder's file that spies on a class it does not own
const ownProcess = [
  ...readdirSync('tests', { withFileTypes: true }).filter((entry) => entry.isDirectory() && !SHARED_FOLDERS.includes(entry.name)).map((entry) => `tests/${entry.name}/**/*.test.ts`),
  'tests/letters/render-pool.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // most suites wait on child processes, timers and the disk rather than the CPU: two files at
    // a time even on a two-core machine (vitest's default there is one)
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    setupFiles: ['tests/setup/witness-file.ts'],
    globalSetup: ['tests/setup/witness-report.ts'],
    execArgv: ['--report-on-fatalerror', `--report-directory=${witness}`, '--report-compact'],
    projects: [
      { extends: true, test: { name: 'shared-modules', include: sharedModules, exclude: ownProcess, isolate: false } },
      { extends: true, test: { name: 'own-process', include: ownProcess, isolate: true } },
    ],
  },
});
