import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { assessStudy } from '../ingest/assess-study.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { ingestPaths } from '../ingest/ingest-paths.ts';
import { assessWithPriors } from '../ingest/prior-studies.ts';
import { readContextFile, type LoadedContext } from '../ingest/load-context.ts';
import { ExitCode } from './exit-codes.ts';
import { requireExports } from './problems.ts';
import { fileProgress } from './progress.ts';
import { reportProblems } from './report.ts';
import { formatStudy } from './format-study.ts';
import { printJson, printLines, printProblem } from './output.ts';

interface IngestOptions {
  json?: boolean;
  context?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read DXA exports, merge the instances of each study, classify it and print the result')
    .argument('<paths...>', 'export files or folders (read recursively)')
    .option('--json', 'one JSON object per study (and per bad file) on stdout, NDJSON')
    .option('--context <file>', 'clinical context JSON (menopausal status, fracture history) for the studies read')
    .action(async (paths: string[], options: IngestOptions) => {
      const explicit = options.context ? await loadExplicitContext(options.context) : undefined;
      if (explicit === null) {
        process.exitCode = ExitCode.BadInput;
        return;
      }
      const progress = fileProgress();
      const result = await ingestPaths(paths, { onFileDone: progress.update });
      progress.stop();
      requireExports(result, paths);
      // studies of one patient read together are compared, the later with the earlier, as in the service
      const studies: AssessedStudy[] = await assessWithPriors(result.studies, (study, priors) => assessStudy(study, explicit, undefined, undefined, priors));

      reportProblems(result.failures, studies);
      const unmatched = explicit?.context.studyInstanceUid;
      if (unmatched && !studies.some((study) => study.study.studyInstanceUid === unmatched)) {
        printProblem(`${explicit.file}: is for study ${unmatched}, which was not among the files read`);
        process.exitCode = ExitCode.BadInput;
      }
      if (options.json) printJson([...studies, ...result.failures]);
      else printLines(studies.flatMap((study) => [...formatStudy(study), '']));
      if (result.failures.length > 0 || studies.some((study) => study.errors.length > 0)) process.exitCode = ExitCode.BadInput;
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
