import dicomParser, { type DataSet } from 'dicom-parser';
import { ProblemCode, ReadError } from '../model/problems.ts';

const PREAMBLE_LENGTH = 128;

/**
 * Parses a DICOM Part 10 file. dicom-parser throws plain strings or `{exception, dataSet}` objects;
 * they are turned into a ReadError whose code says what kind of bad input this is.
 */
export function parseDicomBytes(bytes: Uint8Array): DataSet {
  if (bytes.length === 0) throw new ReadError(ProblemCode.EMPTY_FILE, 'the file is empty');
  if (!hasDicmPrefix(bytes)) {
    throw new ReadError(ProblemCode.NOT_DICOM, 'not a DICOM file (no DICM marker after the 128-byte preamble)');
  }
  try {
    return dicomParser.parseDicom(bytes);
  } catch (thrown) {
    const message = describeThrown(thrown);
    const truncated = /overr(un|ead)|past end|cannot be greater than|not found at offset/i.test(message);
    throw new ReadError(
      truncated ? ProblemCode.TRUNCATED : ProblemCode.DICOM_UNREADABLE,
      truncated ? `the DICOM file is truncated or corrupt (${message})` : `the DICOM data cannot be read (${message})`,
    );
  }
}

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE_LENGTH + 4 &&
    bytes[PREAMBLE_LENGTH] === 0x44 &&
    bytes[PREAMBLE_LENGTH + 1] === 0x49 &&
    bytes[PREAMBLE_LENGTH + 2] === 0x43 &&
    bytes[PREAMBLE_LENGTH + 3] === 0x4d
  );
}

function describeThrown(thrown: unknown): string {
  if (typeof thrown === 'string') return stripPrefix(thrown);
  if (thrown instanceof Error) return stripPrefix(thrown.message);
  if (typeof thrown === 'object' && thrown !== null && 'exception' in thrown) {
    return describeThrown((thrown as { exception: unknown }).exception);
  }
  return 'unknown parser failure';
}

/** `dicomParser.readPart10Header: DICM prefix …` → `DICM prefix …`: the function name helps nobody. */
function stripPrefix(message: string): string {
  return message.replace(/^dicomParser[.:][\w.]+:?\s*/, '');
}
