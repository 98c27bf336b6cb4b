import { ProblemCode, ReadError } from '../../model/problems.ts';

/** Why a Hologic APEX object (beyond its blob's own grammar, see blob-error.ts) cannot be read. */
export const HologicObjectFault = {
  /** (0019,1000) is there but (0019,0010) does not reserve its block for HOLOGIC */
  MISSING_CREATOR: 'MISSING_CREATOR',
  /** a HOLOGIC report image without the (0019,1000) results blob */
  MISSING_BLOB: 'MISSING_BLOB',
  /** the blob and the DICOM header name another patient, birth date or scan date */
  HEADER_MISMATCH: 'HEADER_MISMATCH',
  /** the blob and the DICOM header name another scanner model, serial number or software */
  SCANNER_MISMATCH: 'SCANNER_MISMATCH',
} as const;
export type HologicObjectFault = (typeof HologicObjectFault)[keyof typeof HologicObjectFault];

const PROBLEM_FOR: Record<HologicObjectFault, ProblemCode> = {
  MISSING_CREATOR: ProblemCode.NO_RESULTS,
  MISSING_BLOB: ProblemCode.NO_RESULTS,
  HEADER_MISMATCH: ProblemCode.CONFLICTING_HEADER,
  SCANNER_MISMATCH: ProblemCode.CONFLICTING_HEADER,
};

/** A ReadError, so the object becomes a quarantine reason; `fault` says which Hologic check failed. */
export class HologicObjectError extends ReadError {
  readonly fault: HologicObjectFault;
  constructor(fault: HologicObjectFault, message: string) {
    super(PROBLEM_FOR[fault], `Hologic object: ${message}`);
    this.name = 'HologicObjectError';
    this.fault = fault;
  }
}
