import type { ExtractedStudy, InstanceExtraction } from '../model/study.ts';
import { collectFiles } from './collect-files.ts';
import { mergeStudy } from './merge-study.ts';
import { missingPathFailure, readExportFile, type FileFailure } from './read-file.ts';

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
  const failures: FileFailure[] = missing.map(missingPathFailure);
  const extractions: InstanceExtraction[] = [];
  let done = 0;
  for (const file of files) {
    const outcome = await readExportFile(file);
    if (outcome.ok) extractions.push(outcome.extraction);
    else failures.push(outcome.failure);
    options.onFileDone?.(++done, files.length);
  }
  return { studies: groupByStudy(extractions).map(mergeStudy), failures, fileCount: files.length };
}

/** The instances of each StudyInstanceUID, studies in the order their first instance came. */
export function groupByStudy(extractions: InstanceExtraction[]): InstanceExtraction[][] {
  const byStudy = new Map<string, InstanceExtraction[]>();
  for (const extraction of extractions) {
    const uid = extraction.study.studyInstanceUid;
    byStudy.set(uid, [...(byStudy.get(uid) ?? []), extraction]);
  }
  return [...byStudy.values()];
}
