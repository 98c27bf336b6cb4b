/**
 * Run in a child process with a small heap (`--max-old-space-size`): builds one hostile input,
 * reads it, and prints the outcome, the time taken and the heap in use, as JSON.
 */
import { readExportBytes } from '../../src/ingest/read-file.ts';
import { deepNesting, hugeXmlNumber, manyContainers, manyLongTexts } from './hostile-inputs.ts';

const [name = '', size = '0'] = process.argv.slice(2);
const builders: Record<string, (n: number) => Uint8Array> = { hugeXmlNumber, manyContainers, deepNesting, manyLongTexts: (n) => manyLongTexts(n) };
const bytes = builders[name]!(Number(size));
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const outcome = readExportBytes(bytes, `${name}.dcm`);
const ms = performance.now() - started;
const heapAfter = process.memoryUsage().heapUsed;
process.stdout.write(
  JSON.stringify({
    bytes: bytes.length,
    ok: outcome.ok,
    code: outcome.ok ? null : outcome.failure.code,
    error: outcome.ok ? null : outcome.failure.error,
    ms,
    heapBeforeMb: heapBefore / 2 ** 20,
    heapAfterMb: heapAfter / 2 ** 20,
  }),
);
