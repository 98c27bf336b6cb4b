import { ProblemCode, ReadError } from '../model/problems.ts';
import { quoteInput } from '../model/quote-input.ts';

/** dicom-parser throws strings, Errors and `{exception, dataSet}`; a JS TypeError from inside it is no diagnosis of the file. */
export function parserFailure(thrown: unknown): ReadError {
  const inner = typeof thrown === 'object' && thrown !== null && 'exception' in thrown ? (thrown as { exception: unknown }).exception : thrown;
  if (inner instanceof Error && inner.name !== 'Error') {
    return new ReadError(ProblemCode.DICOM_UNREADABLE, 'the DICOM data cannot be read (the parser failed on it)');
  }
  const message = describeThrown(inner);
  if (/overr(un|ead)|past end|cannot be greater than|not found at offset|eof/i.test(message)) {
    return new ReadError(ProblemCode.TRUNCATED, `the file is truncated or corrupt: ${quoteInput(message)}`);
  }
  return new ReadError(ProblemCode.DICOM_UNREADABLE, `the DICOM data cannot be read: ${quoteInput(message)}`);
}

export function describeThrown(thrown: unknown): string {
  if (typeof thrown === 'string') return stripPrefix(thrown);
  if (thrown instanceof Error) return stripPrefix(thrown.message);
  return 'unknown parser failure';
}

/** `dicomParser.readPart10Header: DICM prefix …` → `DICM prefix …`: the function name helps nobody. */
function stripPrefix(message: string): string {
  return message.replace(/^dicomParser[.:][\w.]+:?\s*/, '');
}
