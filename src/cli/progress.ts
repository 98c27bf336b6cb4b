import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';

// loaded only when a bar is drawn: a run in a pipe, or of a few files, never needs it
const require = createRequire(import.meta.url);

/**
 * A progress bar on stderr while many files are read, only when a person watches a terminal:
 * in a pipe, a log or CI it stays silent. stop() clears it and the next update draws it again,
 * so lines can be printed while files are still read.
 */
export function fileProgress(stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; stop(): void } {
  if (!stream.isTTY) return { update() {}, stop() {} };
  let bar: CliProgress.SingleBar | null = null;
  return {
    update(done, total) {
      if (total < 20) return;
      if (!bar) {
        const cliProgress = require('cli-progress') as typeof CliProgress;
        bar = new cliProgress.SingleBar({ stream, format: 'reading {bar} {value}/{total} files', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
