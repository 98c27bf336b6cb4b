import type { ContextFileResult } from '../ingest/load-context.ts';
import type { FileOutcome as ReadOutcome } from '../ingest/read-file.ts';
import { ProblemCode } from '../model/problems.ts';
import type { InstanceExtraction } from '../model/study.ts';
import type { FileKind } from '../store/file-records.ts';
import type { IncompleteFile } from '../store/incomplete-files.ts';

/** What was found out about one inbox file before anything is decided. */
export interface IntakeFacts {
  kind: FileKind;
  size: number;
  maxFileBytes: number;
  /** what the bytes read as: null when the file was too large to read, or is not read (notes) */
  read: { context: ContextFileResult; text: string } | { export: ReadOutcome } | null;
  /** an export that ends too soon, as the store has noted it (its clock and tries) */
  incomplete: IncompleteFile | null;
  /** a stored instance has the export's SOPInstanceUID */
  duplicate: boolean;
  at: Date;
}

/** What becomes of the file. */
export type IntakeDecision =
  | { kind: 'ignored'; reason: string }
  | { kind: 'quarantined'; reason: string }
  | { kind: 'context'; content: string }
  | { kind: 'stored'; extraction: InstanceExtraction }
  | { kind: 'duplicate'; extraction: InstanceExtraction }
  | { kind: 'wait'; retryAt: Date; tries: number; quarantineAt: string };

/** Tries of an incomplete file back off: 1 s, 2 s, 4 s … a minute at most. */
const RETRY_CAP_MS = 60_000;

/** The 128-byte preamble and `DICM`: a shorter file cannot show yet whether it is DICOM. */
const DICOM_PREFIX_LENGTH = 132;

/** Decides a file's fate from the facts alone: nothing is read or written here. */
export function decideIntake(facts: IntakeFacts): IntakeDecision {
  if (facts.kind === 'other') return { kind: 'ignored', reason: 'not a DICOM export (notes and sidecars are archived, not read)' };
  if (facts.read === null) return { kind: 'quarantined', reason: `${ProblemCode.LIMIT_EXCEEDED}: the file is ${facts.size} bytes, more than the limit of ${facts.maxFileBytes}; it was not read` };
  if ('context' in facts.read) {
    const parsed = facts.read.context;
    return parsed.ok ? { kind: 'context', content: facts.read.text } : { kind: 'quarantined', reason: parsed.problem.message };
  }
  const read = facts.read.export;
  if (read.ok) return facts.duplicate ? { kind: 'duplicate', extraction: read.extraction } : { kind: 'stored', extraction: read.extraction };
  if (read.failure.code === ProblemCode.OWN_RESULT) return { kind: 'ignored', reason: read.failure.error };
  if (facts.incomplete === null) return { kind: 'quarantined', reason: read.failure.error };
  const quarantineAt = Date.parse(facts.incomplete.quarantineAt);
  const now = facts.at.getTime();
  if (now < quarantineAt) {
    const retryAt = new Date(Math.min(quarantineAt, now + Math.min(RETRY_CAP_MS, 1000 * 2 ** (facts.incomplete.tries - 1))));
    return { kind: 'wait', retryAt, tries: facts.incomplete.tries, quarantineAt: facts.incomplete.quarantineAt };
  }
  const waitedSeconds = Math.round((now - Date.parse(facts.incomplete.unchangedSince)) / 1000);
  return { kind: 'quarantined', reason: `${read.failure.code}: ${read.failure.error}; still incomplete ${waitedSeconds} s after its last change` };
}

/**
 * A read that failed because the file ends too soon: truncated, or a scanner that created the
 * file and stalled before (or within) the preamble. Such a file may still be being written.
 */
export function endsTooEarly(code: ProblemCode, length: number): boolean {
  return code === ProblemCode.TRUNCATED || code === ProblemCode.EMPTY_FILE || (code === ProblemCode.NOT_DICOM && length < DICOM_PREFIX_LENGTH);
}
