import { ProblemCode, ReadError } from '../../model/problems.ts';

/** Why a Hologic (0019,1000) blob could not be read. Each reason maps to the project's problem code. */
export const BlobFault = {
  /** more text, lines or larger indices than a real blob (5–12 kB) could need */
  TOO_LARGE: 'TOO_LARGE',
  /** the text ends inside a line: the export was cut off */
  CUT_OFF_LINE: 'CUT_OFF_LINE',
  /** a table declares more cells, row types or column types than the blob holds */
  CUT_OFF_TABLE: 'CUT_OFF_TABLE',
  MALFORMED_LINE: 'MALFORMED_LINE',
  DUPLICATE_ASSIGNMENT: 'DUPLICATE_ASSIGNMENT',
  DUPLICATE_SECTION: 'DUPLICATE_SECTION',
  INDEX_OUT_OF_RANGE: 'INDEX_OUT_OF_RANGE',
  UNKNOWN_TABLE_TYPE: 'UNKNOWN_TABLE_TYPE',
  UNKNOWN_ROW_TYPE: 'UNKNOWN_ROW_TYPE',
  UNKNOWN_COLUMN_TYPE: 'UNKNOWN_COLUMN_TYPE',
  NOT_A_NUMBER: 'NOT_A_NUMBER',
  MISSING_VALUE: 'MISSING_VALUE',
  INVALID_VALUE: 'INVALID_VALUE',
  /** rows or tables that contradict each other (a side row without its region, two FRAX tables) */
  INCONSISTENT: 'INCONSISTENT',
} as const;
export type BlobFault = (typeof BlobFault)[keyof typeof BlobFault];

const PROBLEM_FOR: Record<BlobFault, ProblemCode> = {
  TOO_LARGE: ProblemCode.LIMIT_EXCEEDED,
  CUT_OFF_LINE: ProblemCode.INCOMPLETE_REPORT,
  CUT_OFF_TABLE: ProblemCode.INCOMPLETE_REPORT,
  MALFORMED_LINE: ProblemCode.UNPARSABLE_VALUE,
  DUPLICATE_ASSIGNMENT: ProblemCode.CONFLICTING_VALUES,
  DUPLICATE_SECTION: ProblemCode.CONFLICTING_VALUES,
  INDEX_OUT_OF_RANGE: ProblemCode.UNPARSABLE_VALUE,
  UNKNOWN_TABLE_TYPE: ProblemCode.UNPARSABLE_VALUE,
  UNKNOWN_ROW_TYPE: ProblemCode.UNPARSABLE_VALUE,
  UNKNOWN_COLUMN_TYPE: ProblemCode.UNPARSABLE_VALUE,
  NOT_A_NUMBER: ProblemCode.UNPARSABLE_VALUE,
  MISSING_VALUE: ProblemCode.INCOMPLETE_REPORT,
  INVALID_VALUE: ProblemCode.UNPARSABLE_VALUE,
  INCONSISTENT: ProblemCode.CONFLICTING_VALUES,
};

/** A ReadError, so a bad blob becomes a quarantine reason like any other unreadable file. */
export class HologicBlobError extends ReadError {
  readonly fault: BlobFault;
  /** 1-based line of the blob the fault was found on, when there is one */
  readonly line: number | null;
  constructor(fault: BlobFault, message: string, line: number | null = null) {
    super(PROBLEM_FOR[fault], line === null ? `Hologic blob: ${message}` : `Hologic blob line ${line}: ${message}`);
    this.name = 'HologicBlobError';
    this.fault = fault;
    this.line = line;
  }
}
