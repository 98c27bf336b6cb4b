import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { assessStudy } from '../ingest/assess-study.ts';
import type { PriorStudy } from '../clinical/compare-prior.ts';
import type { ExtractedStudy } from '../model/study.ts';
import { planIngest, readPlanned } from '../ingest/stream-studies.ts';
import { readContextFile, type LoadedContext } from '../ingest/load-context.ts';
import { ExitCode } from './exit-codes.ts';
import { requireExports } from './problems.ts';
import { fileProgress } from './progress.ts';
import { reportProblems } from './report.ts';
import { formatStudy } from './format-study.ts';
import { drained, printJson, printLines, printProblem } from './output.ts';

interface IngestOptions {
  json?: boolean;
  context?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read DXA exports, merge the instances of each study, classify it and print the result, study by study')
    .argument('<paths...>', 'export files or folders (read recursively)')
    .option('--json', 'one JSON object per study (and per bad file) on stdout, NDJSON')
    .option('--context <file>', 'clinical context JSON (menopausal status, fracture history) for the studies read')
    .action(async (paths: string[], options: IngestOptions) => {
      const explicit = options.context ? await loadExplicitContext(options.context) : undefined;
      if (explicit === null) {
        process.exitCode = ExitCode.BadInput;
        return;
      }
      const plan = await planIngest(paths);
      requireExports({ studies: plan.patients, failures: plan.missing }, paths);
      const progress = fileProgress();
      const wanted = explicit?.context.studyInstanceUid;
      let wantedRead = false;
      let bad = false;
      // studies of one patient read together are compared, the later with the earlier, as in the service
      const assess = (study: ExtractedStudy, priors: PriorStudy[]) => assessStudy(study, explicit, undefined, undefined, priors);
      for await (const event of readPlanned(plan, assess, progress.update)) {
        // the bar is cleared only for a line that reaches the terminal it is drawn on
        if (process.stdout.isTTY || 'failure' in event || event.study.errors.length > 0) progress.stop();
        if ('failure' in event) {
          reportProblems([event.failure], []);
          if (options.json) printJson([event.failure]);
          bad = true;
        } else {
          const { study } = event;
          reportProblems([], [study]);
          if (options.json) printJson([study]);
          else printLines([...formatStudy(study), '']);
          bad ||= study.errors.length > 0;
          wantedRead ||= study.study.studyInstanceUid === wanted;
        }
        await drained(process.stdout);
      }
      progress.stop();
      if (wanted && !wantedRead) {
        printProblem(`${explicit.file}: is for study ${wanted}, which was not among the files read`);
        bad = true;
      }
      if (bad) process.exitCode = ExitCode.BadInput;
    });
}

/** A bad --context file stops the run before anything is read (exit code 2): it was asked for explicitly. */
export async function loadExplicitContext(file: string): Promise<LoadedContext | null> {
  const problem = (message: string) => {
    printProblem(message);
    process.exitCode = ExitCode.BadInput;
    return null;
  };
  if ((await stat(file).catch(() => null))?.isDirectory()) return problem(`${file}: is a folder; give --context the context JSON file`);
  const result = await readContextFile(file);
  if (result === null) return problem(`${file}: no such context file; check --context`);
  if (!result.ok) return problem(result.problem.message);
  return result.loaded;
}
