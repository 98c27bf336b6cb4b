import type { FileFailure } from '../ingest/read-file.ts';
import type { ExtractedStudy } from '../model/study.ts';

/** One line on stderr per bad file and per study error, the same for every command. */
export function reportProblems(failures: FileFailure[], studies: ExtractedStudy[]): void {
  for (const failure of failures) process.stderr.write(`dexa: ${failure.file}: ${failure.error}\n`);
  for (const study of studies) {
    for (const error of study.errors) process.stderr.write(`dexa: study ${study.study.studyInstanceUid}: ${error.message}\n`);
  }
}
