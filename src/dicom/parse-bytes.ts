import dicomParser, { type DataSet } from 'dicom-parser';
import { ProblemCode, ReadError } from '../model/problems.ts';
import { quoteInput } from '../model/quote-input.ts';
import { checkStructure } from './check-structure.ts';
import { describeThrown, parserFailure } from './parser-failure.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.ts';

const PREAMBLE_LENGTH = 128;

/**
 * Parses a DICOM Part 10 file that is whole and within the limits. The structure is walked
 * first (check-structure.ts), so dicom-parser only ever sees bytes that nest and end where they
 * say; anything it still complains about, thrown or as a warning, means the file cannot be
 * trusted to be complete and is refused.
 */
export function parseDicomBytes(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): DataSet {
  if (bytes.length === 0) throw new ReadError(ProblemCode.EMPTY_FILE, 'the file is empty');
  if (!hasDicmPrefix(bytes)) {
    if (couldBeStartOfPart10(bytes)) {
      throw new ReadError(ProblemCode.TRUNCATED, `the file is truncated: ${bytes.length} bytes end before the DICM marker at byte 128`);
    }
    throw new ReadError(ProblemCode.NOT_DICOM, 'not a DICOM file (no DICM marker after the 128-byte preamble)');
  }
  checkStructure(bytes, limits);
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes);
  } catch (thrown) {
    throw parserFailure(thrown);
  }
  const warnings = (dataSet.warnings ?? []) as unknown[];
  if (warnings.length > 0) {
    const first = describeThrown(warnings[0]);
    const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : '';
    const eof = /eof|end of|past end|overr/i.test(first);
    throw new ReadError(
      eof ? ProblemCode.TRUNCATED : ProblemCode.DICOM_UNREADABLE,
      eof ? `the file is truncated: ${quoteInput(first)}${more}` : `the DICOM structure is not sound: ${quoteInput(first)}${more}`,
    );
  }
  return dataSet;
}

/** A file shorter than preamble and marker that is still all zeros, or stops inside `DICM`, is the start of one being written. */
function couldBeStartOfPart10(bytes: Uint8Array): boolean {
  if (bytes.length >= PREAMBLE_LENGTH + 4) return false;
  if (bytes.length <= PREAMBLE_LENGTH) return bytes.every((byte) => byte === 0);
  return [...bytes.subarray(PREAMBLE_LENGTH)].every((byte, i) => byte === DICM[i]);
}

const DICM = [0x44, 0x49, 0x43, 0x4d];

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE_LENGTH + 4 &&
    bytes[PREAMBLE_LENGTH] === 0x44 &&
    bytes[PREAMBLE_LENGTH + 1] === 0x49 &&
    bytes[PREAMBLE_LENGTH + 2] === 0x43 &&
    bytes[PREAMBLE_LENGTH + 3] === 0x4d
  );
}
