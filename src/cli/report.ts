import type { FileFailure } from '../ingest/read-file.ts';
import type { ExtractedStudy } from '../model/study.ts';
import { printProblem } from './output.ts';

/** One line on stderr per bad file and per study error, the same for every command. */
export function reportProblems(failures: FileFailure[], studies: ExtractedStudy[]): void {
  for (const failure of failures) printProblem(`${failure.file}: ${failure.error}`);
  for (const study of studies) {
    for (const error of study.errors) printProblem(`study ${study.study.studyInstanceUid}: ${error.message}`);
  }
}
