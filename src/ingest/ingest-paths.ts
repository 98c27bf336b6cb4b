import { ProblemCode } from '../model/problems.ts';
import type { ExtractedStudy, InstanceExtraction } from '../model/study.ts';
import { collectFiles } from './collect-files.ts';
import { mergeStudy } from './merge-study.ts';
import { readExportFile, type FileFailure } from './read-file.ts';

export interface IngestResult {
  studies: ExtractedStudy[];
  failures: FileFailure[];
  fileCount: number;
}

export interface IngestOptions {
  onFileDone?: (done: number, total: number) => void;
}

/** Reads every export under the given paths and merges the instances of each study. */
export async function ingestPaths(paths: string[], options: IngestOptions = {}): Promise<IngestResult> {
  const { files, missing } = await collectFiles(paths);
  const failures: FileFailure[] = missing.map((file) => ({
    file,
    code: ProblemCode.FILE_UNREADABLE,
    error: 'no such file or folder; check the path',
  }));
  const byStudy = new Map<string, InstanceExtraction[]>();
  let done = 0;
  for (const file of files) {
    const outcome = await readExportFile(file);
    if (outcome.ok) {
      const uid = outcome.extraction.study.studyInstanceUid;
      byStudy.set(uid, [...(byStudy.get(uid) ?? []), outcome.extraction]);
    } else {
      failures.push(outcome.failure);
    }
    options.onFileDone?.(++done, files.length);
  }
  return { studies: [...byStudy.values()].map(mergeStudy), failures, fileCount: files.length };
}
