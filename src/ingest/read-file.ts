import { open } from 'node:fs/promises';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../dicom/read-limits.ts';
import { ProblemCode, ReadError } from '../model/problems.ts';
import type { InstanceExtraction } from '../model/study.ts';
import { readInstance } from '../readers/read-instance.ts';

export interface FileFailure {
  file: string;
  code: ProblemCode;
  error: string;
}

/** A path given that is not there: one bad file among the rest, like any other. */
export function missingPathFailure(file: string): FileFailure {
  return { file, code: ProblemCode.FILE_UNREADABLE, error: 'no such file or folder; check the path' };
}

export type FileOutcome = { ok: true; extraction: InstanceExtraction } | { ok: false; failure: FileFailure };

/** Reads one file; whatever goes wrong becomes a failure with a reason, never an exception. A file over the size limit is not read at all. */
export async function readExportFile(file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size > limits.maxFileBytes) {
        return {
          ok: false,
          failure: { file, code: ProblemCode.LIMIT_EXCEEDED, error: `the file is ${size} bytes, more than the limit of ${limits.maxFileBytes}` },
        };
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { file, code: ProblemCode.FILE_UNREADABLE, error: `cannot read the file (${reason})` } };
  }
  return readExportBytes(bytes, file, limits);
}

export function readExportBytes(bytes: Uint8Array, file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): FileOutcome {
  try {
    return { ok: true, extraction: readInstance(bytes, file, limits) };
  } catch (error) {
    if (error instanceof ReadError) return { ok: false, failure: { file, code: error.code, error: error.message } };
    // A reader bug nobody foresaw: still one bad file, never a crash, and never dressed up as a
    // diagnosis of the file (the fuzz suite asserts this path is never taken).
    const kind = error instanceof Error ? error.name : typeof error;
    return {
      ok: false,
      failure: { file, code: ProblemCode.READER_FAILURE, error: `the reader failed unexpectedly (${kind}); this is a fault in dexa-report, not in the file` },
    };
  }
}
