import type { PriorStudy } from '../clinical/compare-prior.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { ExtractedStudy, InstanceExtraction } from '../model/study.ts';
import { collectFiles } from './collect-files.ts';
import { groupByStudy } from './ingest-paths.ts';
import { mergeStudy } from './merge-study.ts';
import { planReading, type PatientStudies } from './plan-reading.ts';
import { PatientHistory } from './prior-studies.ts';
import { readPlacement } from './read-placement.ts';
import { missingPathFailure, readExportFile, type FileFailure } from './read-file.ts';

export interface ReadingPlan {
  patients: PatientStudies[];
  /** paths given that are not there */
  missing: FileFailure[];
  fileCount: number;
}

/** Headers read at once: the disk's latency is mostly waiting, the parsing little work. */
const HEADERS_AT_ONCE = 16;

export type IngestEvent = { study: AssessedStudy } | { failure: FileFailure };

/** First pass: every file's header, to read each study whole and after its patient's earlier ones (plan-reading.ts). */
export async function planIngest(paths: string[]): Promise<ReadingPlan> {
  const { files, missing } = await collectFiles(paths);
  const placed = [];
  for (let start = 0; start < files.length; start += HEADERS_AT_ONCE) {
    const batch = files.slice(start, start + HEADERS_AT_ONCE);
    placed.push(...(await Promise.all(batch.map(async (file) => ({ file, placement: await readPlacement(file) })))));
  }
  return { patients: planReading(placed), missing: missing.map(missingPathFailure), fileCount: files.length };
}

/**
 * Second pass: each study read, merged and assessed (with its patient's earlier studies as
 * priors) and handed on before the next is read, then the study's files that could not be read;
 * the paths that are not there come last. What is held between studies is the plan and, for the
 * patient at hand, what the comparison needs of its earlier studies.
 */
export async function* readPlanned(
  plan: ReadingPlan,
  assess: (study: ExtractedStudy, priors: PriorStudy[]) => Promise<AssessedStudy>,
  onFileDone?: (done: number, total: number) => void,
): AsyncGenerator<IngestEvent> {
  let done = 0;
  for (const patient of plan.patients) {
    const history = new PatientHistory();
    for (const files of patient) {
      const extractions: InstanceExtraction[] = [];
      const failures: FileFailure[] = [];
      for (const file of files) {
        const outcome = await readExportFile(file);
        if (outcome.ok) extractions.push(outcome.extraction);
        else failures.push(outcome.failure);
        onFileDone?.(++done, plan.fileCount);
      }
      // one study as a rule; a file whose full read names another study is that study
      for (const parts of groupByStudy(extractions)) {
        const study = mergeStudy(parts);
        const assessed = await assess(study, history.priorsOf(study));
        history.add(assessed);
        yield { study: assessed };
      }
      for (const failure of failures) yield { failure };
    }
  }
  for (const failure of plan.missing) yield { failure };
}
