import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { fileModes } from '../config/file-modes.ts';
import { assessStudy } from '../ingest/assess-study.ts';
import { ingestPaths } from '../ingest/ingest-paths.ts';
import { assessWithPriors } from '../ingest/prior-studies.ts';
import type { LetterKind } from '../letters/letter-document.ts';
import { createFolder } from '../watch/move-file.ts';
import { ExitCode } from './exit-codes.ts';
import { loadExplicitContext } from './ingest-command.ts';
import { printLines, printProblem } from './output.ts';
import { atPath, requireExports } from './problems.ts';
import { reportProblems } from './report.ts';
import { loadRuntime } from './runtime.ts';

interface RenderOptions {
  letter: 'patient' | 'gp' | 'both';
  lang?: string;
  out: string;
  config?: string;
  context?: string;
  date?: string;
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description('read DXA exports and write the patient and GP letters as PDF')
    .argument('<paths...>', 'export files or folders (read recursively); studies of one patient are compared with the earlier ones')
    .option('--letter <which>', 'patient, gp or both', 'both')
    .option('--lang <language>', 'nl or en (default: the configured language)')
    .option('--out <dir>', 'folder for the PDFs', 'out/letters')
    .option('--config <file>', 'department configuration (YAML); default $DEXA_CONFIG or the embedded defaults')
    .option('--context <file>', 'clinical context JSON for the studies read')
    .option('--date <yyyy-mm-dd>', 'date printed on the letters (default today); also fixes the PDF creation date')
    .action(async (paths: string[], options: RenderOptions) => {
      if (!['patient', 'gp', 'both'].includes(options.letter)) {
        printProblem(`--letter must be patient, gp or both, not '${options.letter}'`);
        process.exitCode = ExitCode.Usage;
        return;
      }
      if (options.date !== undefined && !isCalendarDate(options.date)) {
        printProblem(`--date must be a real date as YYYY-MM-DD, not '${options.date}'`);
        process.exitCode = ExitCode.Usage;
        return;
      }
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      const explicit = options.context ? await loadExplicitContext(options.context) : undefined;
      if (explicit === null) return;

      const kinds: LetterKind[] = options.letter === 'both' ? ['gp', 'patient'] : [options.letter];
      const letterDate = options.date ?? new Date().toISOString().slice(0, 10);
      const creationDate = options.date ? new Date(`${options.date}T00:00:00Z`) : new Date();
      const modes = fileModes(runtime.config);
      await createFolder(options.out, modes); // a wrong --out is told before anything is read
      const result = await ingestPaths(paths);
      reportProblems(result.failures, []);
      requireExports(result, paths);
      let bad = result.failures.length > 0;
      const written = new Set<string>();
      // the PDF library only once there is something to render: a refused path or date is told without it
      const { renderStudyLetters } = await import('../letters/render-letters.ts');
      // studies of one patient read together are compared, the later with the earlier, as in the service
      const assessed = await assessWithPriors(result.studies, (extracted, priors) => assessStudy(extracted, explicit, runtime.config.clinical, undefined, priors));
      for (const study of assessed) {
        reportProblems([], [study]);
        bad ||= study.errors.length > 0;
        const letters = await renderStudyLetters(study, runtime.config, runtime.templates, { kinds, letterDate, creationDate });
        for (const letter of letters) {
          const path = join(options.out, uniqueName(letter.fileName, written));
          // a letter cut short by a full disk is not left to pass for a letter
          await writeFile(path, letter.pdf, { mode: modes.file }).catch(async (error: unknown) => {
            await rm(path, { force: true }).catch(() => undefined);
            atPath(path)(error);
          });
          await chmod(path, modes.file);
          const status = letter.held ? `held for review: ${study.classification.holdingFlags.join(', ')}` : 'releasable';
          printLines([`${path}  (${status})`]);
        }
      }
      if (bad) process.exitCode = ExitCode.BadInput;
    });
}

/** Two studies with the same date and accession must not overwrite each other's letters in one run. */
function uniqueName(fileName: string, taken: Set<string>): string {
  let name = fileName;
  for (let n = 2; taken.has(name); n++) name = fileName.replace(/\.pdf$/, `_${n}.pdf`);
  taken.add(name);
  return name;
}

/** `YYYY-MM-DD` naming a day that exists: not 2026-02-30, not 2026-13-01. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
