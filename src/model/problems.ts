import { z } from 'zod';

/** Every problem a reader or the merge can report. Errors make a file or study unusable; warnings do not. */
export const ProblemCode = {
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  EMPTY_FILE: 'EMPTY_FILE',
  NOT_DICOM: 'NOT_DICOM',
  TRUNCATED: 'TRUNCATED',
  DICOM_UNREADABLE: 'DICOM_UNREADABLE',
  /** more bytes, elements, text or nesting than the configured read limits allow */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** the report itself says it holds more than was found in it */
  INCOMPLETE_REPORT: 'INCOMPLETE_REPORT',
  /** a text value whose bytes are not valid in the declared character set */
  INVALID_TEXT: 'INVALID_TEXT',
  /** a DXA report with no results in it */
  NO_RESULTS: 'NO_RESULTS',
  /** a failure no reader foresaw: a bug to fix, not a diagnosis of the file */
  READER_FAILURE: 'READER_FAILURE',
  NOT_SR: 'NOT_SR',
  /** an object this service wrote (its result SR or letter PDF), come back from a PACS: never read as input */
  OWN_RESULT: 'OWN_RESULT',
  NOT_DXA_SR: 'NOT_DXA_SR',
  MISSING_UID: 'MISSING_UID',
  UNPARSABLE_VALUE: 'UNPARSABLE_VALUE',
  /** a number no measurement of its kind can have: a BMD of 1014 g/cm², a T-score of −15 */
  IMPLAUSIBLE_VALUE: 'IMPLAUSIBLE_VALUE',
  /** the date a report gives its current exam is not the study's date: the values may be another exam's */
  EXAM_DATE_MISMATCH: 'EXAM_DATE_MISMATCH',
  DUPLICATE_ROI: 'DUPLICATE_ROI',
  XML_UNREADABLE: 'XML_UNREADABLE',
  XML_MISMATCH: 'XML_MISMATCH',
  XML_ITEM_MISSING: 'XML_ITEM_MISSING',
  CONFLICTING_VALUES: 'CONFLICTING_VALUES',
  CONFLICTING_HEADER: 'CONFLICTING_HEADER',
  DUPLICATE_INSTANCE_DIFFERS: 'DUPLICATE_INSTANCE_DIFFERS',
  PROFILE_INVALID: 'PROFILE_INVALID',
  CONTEXT_INVALID: 'CONTEXT_INVALID',
  // warnings
  UNKNOWN_SCAN: 'UNKNOWN_SCAN',
  UNKNOWN_ROI: 'UNKNOWN_ROI',
  UNEXPECTED_UNIT: 'UNEXPECTED_UNIT',
  NO_XML_COPY: 'NO_XML_COPY',
  NO_SECOND_COPY: 'NO_SECOND_COPY',
  TREND_NOT_USED: 'TREND_NOT_USED',
  /** the export gives an age at menopause no status can be taken from (or its instances disagree on it) */
  SCANNER_MENOPAUSE_NOT_USED: 'SCANNER_MENOPAUSE_NOT_USED',
  INVALID_DATE: 'INVALID_DATE',
  UNKNOWN_CHARACTER_SET: 'UNKNOWN_CHARACTER_SET',
} as const;

export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

export const ProblemSchema = z.object({
  code: z.enum(Object.values(ProblemCode) as [ProblemCode, ...ProblemCode[]]),
  message: z.string(),
  file: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** Thrown inside a reader when a file cannot be used at all; the caller turns it into a Problem. */
export class ReadError extends Error {
  readonly code: ProblemCode;
  constructor(code: ProblemCode, message: string) {
    super(message);
    this.name = 'ReadError';
    this.code = code;
  }
}
