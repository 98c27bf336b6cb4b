import { once } from 'node:events';
import { escapeControls, escapeJsonControls } from '../model/control-characters.ts';

type Stream = Pick<NodeJS.WriteStream, 'write'>;

/**
 * The one way the commands print text: each line with its control characters escaped, so no
 * value from a DICOM header, a file name or the store can move the cursor, retitle the terminal
 * or reverse a line.
 */
export function printLines(lines: readonly string[], stream: Stream = process.stdout): void {
  if (lines.length > 0) stream.write(lines.map(escapeControls).join('\n') + '\n');
}

/** `dexa: <message>` on stderr, escaped like every other line. */
export function printProblem(message: string): void {
  printLines([`dexa: ${message}`], process.stderr);
}

/** JSON values, one per line (NDJSON). */
export function printJson(values: readonly unknown[], stream: Stream = process.stdout): void {
  if (values.length > 0) stream.write(values.map((value) => escapeJsonControls(JSON.stringify(value))).join('\n') + '\n');
}

/** Resolves once the stream has taken what it was given, so a long run holds no more output than a pipe does. */
export async function drained(stream: NodeJS.WritableStream & { writableNeedDrain?: boolean } = process.stdout): Promise<void> {
  if (stream.writableNeedDrain) await once(stream, 'drain');
}
