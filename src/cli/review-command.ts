import type { Command } from 'commander';
import { fileModes, type FileModes } from '../config/file-modes.ts';
import { approveStudy, listHeld, rejectStudy, ReviewError, showStudy } from '../review/review-actions.ts';
import type { Database } from '../store/database.ts';
import { ExitCode } from './exit-codes.ts';
import { existingFolder, openExistingStore } from './open-store.ts';
import { printLines, printProblem } from './output.ts';
import { loadRuntime, type Runtime } from './runtime.ts';
import type { Layout } from '../watch/layout.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

export function registerReview(program: Command): void {
  const review = program.command('review').description('the studies whose letters are held for review');

  withServicePaths(review.command('list')).description('held studies, oldest first').action(async (given: ServicePaths, command: Command) => {
    const options = pathsFromStore(given, command);
    await withDb(options, (db) => {
      const held = listHeld(db);
      if (held.length === 0) return printLines(['no studies are waiting for review']);
      printLines(
        held.flatMap((study) => [
          `${String(study.id).padStart(4)}  ${study.studyDate ?? '–'}  ${(study.accession ?? '').padEnd(14)} ${(study.category ?? 'no diagnosis').padEnd(24)} ${study.flags.join(', ')}`,
          `       ${study.studyUid}`,
        ]),
      );
    });
  });

  withServicePaths(review.command('show'))
    .argument('<study>', 'StudyInstanceUID, accession number or number from the list')
    .description('classification, flags, letters and audit log of one study')
    .action(async (key: string, given: ServicePaths, command: Command) => {
      const options = pathsFromStore(given, command);
      await withDb(options, (db) => {
        const { study, result, letters, audit } = showStudy(db, key);
        const c = result?.classification;
        const lines = [
          `study ${study.study_uid} (${study.id}), ${study.study_date ?? 'no date'}, state ${study.state}, version ${study.version}`,
          `result: ${c?.category ?? 'no diagnosis'} (${c?.path ?? '–'} path, index ${c?.indexRegion ?? '–'} ${c?.indexSide ?? ''} ${c?.indexScore ?? ''})`,
          ...(c?.flags ?? []).map((f) => `flag ${f.code} (${f.severity}): ${f.message}`),
          ...letters.map((letter) => `letter ${letter.kind} (${letter.state}): ${letter.path}`),
          'audit:',
          ...audit.map((entry) => `  ${entry.at}  ${entry.action}${entry.actor ? ` by ${entry.actor}` : ''}: ${entry.detail}`),
        ];
        printLines(lines);
      });
    });

  withServicePaths(review.command('approve'))
    .argument('<study>', 'StudyInstanceUID, accession number or number from the list')
    .requiredOption('--by <name>', 'who approves: printed in the released letters under the signature')
    .option('--config <file>', "department configuration (YAML); by default the service's own")
    .option('--accept-new-setup', 'release even though the configuration or templates changed since the drafts were made')
    .description('release the held letters: rendered final into out/letters/, drafts kept')
    .action(async (key: string, given: ServicePaths & { by: string; config?: string; acceptNewSetup?: boolean }, command: Command) => {
      await moveLettersOfStudy(given, command, 'released', (db, layout, runtime) =>
        approveStudy(db, layout, runtime.config, runtime.templates, key, given.by, { acceptNewSetup: given.acceptNewSetup === true }),
      );
    });

  withServicePaths(review.command('reject'))
    .argument('<study>', 'StudyInstanceUID, accession number or number from the list')
    .requiredOption('--reason <text>', 'why the letters may not go out')
    .requiredOption('--by <name>', 'who rejects')
    .option('--config <file>', "department configuration (YAML), for the modes of the files it moves; by default the service's own")
    .description('withdraw the held letters into out/rejected/')
    .action(async (key: string, given: ServicePaths & { reason: string; by: string; config?: string }, command: Command) => {
      await moveLettersOfStudy(given, command, 'rejected', (db, layout) => rejectStudy(db, layout, key, given.reason, given.by));
    });
}

/**
 * approve and reject: with the service's folders and configuration, the store opened with its
 * file modes, each letter the action wrote or moved printed after `done`.
 */
async function moveLettersOfStudy(
  given: ServicePaths & { config?: string },
  command: Command,
  done: string,
  act: (db: Database, layout: Layout, runtime: Runtime) => Promise<string[]>,
): Promise<void> {
  const options = { ...given, ...pathsFromStore(given, command) };
  const runtime = await loadRuntime(options);
  if (!runtime) return;
  const modes = fileModes(runtime.config);
  existingFolder(options.out, '--out');
  await withDb(options, async (db) => printLines((await act(db, { inbox: options.inbox, out: options.out, modes }, runtime)).map((path) => `${done} ${path}`)), modes);
}

/** `modes` for the commands that write: the store gets them too. */
async function withDb(options: ServicePaths, work: (db: Database) => unknown, modes?: FileModes): Promise<void> {
  const db = openExistingStore(options.db, modes);
  try {
    await work(db);
  } catch (error) {
    if (!(error instanceof ReviewError)) throw error;
    printProblem(error.message);
    process.exitCode = ExitCode.BadInput;
  } finally {
    db.close();
  }
}
