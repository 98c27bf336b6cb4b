import { InvalidArgumentError, type Command } from 'commander';
import { destinationNames } from '../config/destinations.ts';
import { fileModes, type FileModes } from '../config/file-modes.ts';
import { approveStudy, listHeld, rejectStudy, ReviewError, showStudy } from '../review/review-actions.ts';
import type { StudyStore } from '../store/study-store.ts';
import { ExitCode } from './exit-codes.ts';
import { existingFolder, withExistingStore } from './open-store.ts';
import { printLines, printProblem } from './output.ts';
import { loadRuntime, type Runtime } from './runtime.ts';
import type { Layout } from '../watch/layout.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

export function registerReview(program: Command): void {
  const review = program.command('review').description('the studies whose letters are held for review');

  withServicePaths(review.command('list')).description('held studies, oldest first').action(async (given: ServicePaths, command: Command) => {
    const options = await pathsFromStore(given, command);
    await withStore(options, async (store) => {
      const held = await listHeld(store);
      if (held.length === 0) return printLines(['no studies are waiting for review']);
      printLines(
        held.flatMap((study) => [
          `${String(study.id).padStart(4)}  ${study.studyDate ?? '–'}  ${(study.accession ?? '').padEnd(14)} ${(study.category ?? 'no diagnosis').padEnd(24)} ${study.flags.join(', ')}`,
          `       ${study.studyUid} (version ${study.version})`,
        ]),
      );
    });
  });

  withServicePaths(review.command('show'))
    .argument('<study>', 'StudyInstanceUID, accession number or number from the list')
    .description('classification, flags, letters and audit log of one study')
    .action(async (key: string, given: ServicePaths, command: Command) => {
      const options = await pathsFromStore(given, command);
      await withStore(options, async (store) => {
        const { study, result, letters, deliveries, audit } = await showStudy(store, key);
        const c = result?.classification;
        const lines = [
          `study ${study.studyUid} (${study.id}), ${study.studyDate ?? 'no date'}, state ${study.state}, version ${study.version}`,
          `result: ${c?.category ?? 'no diagnosis'} (${c?.path ?? '–'} path, index ${c?.indexRegion ?? '–'} ${c?.indexSide ?? ''} ${c?.indexScore ?? ''})`,
          ...(c?.flags ?? []).map((f) => `flag ${f.code} (${f.severity}): ${f.message}`),
          ...letters.map((letter) => `letter ${letter.kind} (${letter.state}): ${letter.path}`),
          ...deliveries.map(
            (d) =>
              `delivery ${d.id} of version ${d.version} to ${d.destination}: ${d.state}, ${d.attempts} tries${d.deliveredAt ? `, delivered at ${d.deliveredAt}` : ''}${d.state === 'pending' && d.attempts > 0 ? `, next try at ${d.nextAttemptAt}` : ''}${d.lastError ? `, last error: ${d.lastError}` : ''}`,
          ),
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
    .option('--version <n>', 'the version you reviewed (dexa review show): refused if the study is at another', parseVersion)
    .description('release the held letters: rendered final into out/letters/, drafts kept')
    .action(async (key: string, given: ServicePaths & { by: string; config?: string; acceptNewSetup?: boolean; version?: number }, command: Command) => {
      await moveLettersOfStudy(given, command, 'released', (store, layout, runtime) =>
        approveStudy(store, layout, runtime.config, runtime.templates, key, given.by, { acceptNewSetup: given.acceptNewSetup === true, version: given.version ?? null, destinations: destinationNames(runtime.config) }),
      );
    });

  withServicePaths(review.command('reject'))
    .argument('<study>', 'StudyInstanceUID, accession number or number from the list')
    .requiredOption('--reason <text>', 'why the letters may not go out')
    .requiredOption('--by <name>', 'who rejects')
    .option('--config <file>', "department configuration (YAML), for the modes of the files it moves; by default the service's own")
    .option('--version <n>', 'the version you reviewed (dexa review show): refused if the study is at another', parseVersion)
    .description('withdraw the held letters into out/rejected/')
    .action(async (key: string, given: ServicePaths & { reason: string; by: string; config?: string; version?: number }, command: Command) => {
      await moveLettersOfStudy(given, command, 'rejected', (store, layout) => rejectStudy(store, layout, key, given.reason, given.by, { version: given.version ?? null }));
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
  act: (store: StudyStore, layout: Layout, runtime: Runtime) => Promise<string[]>,
): Promise<void> {
  const options = { ...given, ...(await pathsFromStore(given, command)) };
  const runtime = await loadRuntime(options);
  if (!runtime) return;
  const modes = fileModes(runtime.config);
  existingFolder(options.out, '--out');
  await withStore(options, async (store) => printLines((await act(store, { inbox: options.inbox, out: options.out, modes }, runtime)).map((path) => `${done} ${path}`)), modes);
}

/** `modes` for the commands that write: the store gets them too. A refused review is one line and exit 2. */
async function withStore(options: ServicePaths, work: (store: StudyStore) => Promise<unknown>, modes?: FileModes): Promise<void> {
  try {
    await withExistingStore(options.db, work, modes);
  } catch (error) {
    if (!(error instanceof ReviewError)) throw error;
    printProblem(error.message);
    process.exitCode = ExitCode.BadInput;
  }
}

function parseVersion(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a version number (1, 2, …)');
  return Number(value);
}
