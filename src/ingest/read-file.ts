import { readFile } from 'node:fs/promises';
import { ProblemCode, ReadError } from '../model/problems.ts';
import type { InstanceExtraction } from '../model/study.ts';
import { readInstance } from '../readers/read-instance.ts';

export interface FileFailure {
  file: string;
  code: ProblemCode;
  error: string;
}

export type FileOutcome = { ok: true; extraction: InstanceExtraction } | { ok: false; failure: FileFailure };

/** Reads one file; whatever goes wrong becomes a failure with a reason, never an exception. */
export async function readExportFile(file: string): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { file, code: ProblemCode.FILE_UNREADABLE, error: `cannot read the file (${reason})` } };
  }
  return readExportBytes(bytes, file);
}

export function readExportBytes(bytes: Uint8Array, file: string): FileOutcome {
  try {
    return { ok: true, extraction: readInstance(bytes, file) };
  } catch (error) {
    if (error instanceof ReadError) return { ok: false, failure: { file, code: error.code, error: error.message } };
    // A reader bug or a parser failure nobody foresaw: still one bad file, never a crash.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { file, code: ProblemCode.DICOM_UNREADABLE, error: `the file could not be read (${reason})` } };
  }
}
