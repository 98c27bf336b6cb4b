import { ProblemCode, ReadError } from '../model/problems.ts';
import { checkStructure } from './check-structure.ts';
import type { DicomDataSet } from './data-set.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.ts';

const PREAMBLE_LENGTH = 128;

/**
 * Parses a DICOM Part 10 file that is whole and within the limits: the structure walk
 * (check-structure.ts) refuses bytes that do not nest or end where they say, and indexes the
 * elements of the rest, once; values are decoded only when a reader asks (text.ts).
 */
export function parseDicomBytes(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): DicomDataSet {
  if (bytes.length === 0) throw new ReadError(ProblemCode.EMPTY_FILE, 'the file is empty');
  if (!hasDicmPrefix(bytes)) {
    if (couldBeStartOfPart10(bytes)) {
      throw new ReadError(ProblemCode.TRUNCATED, `the file is truncated: ${bytes.length} bytes end before the DICM marker at byte 128`);
    }
    throw new ReadError(ProblemCode.NOT_DICOM, 'not a DICOM file (no DICM marker after the 128-byte preamble)');
  }
  return checkStructure(bytes, limits);
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
