import { stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { StudyStore } from '../store/study-store.ts';
import { crashPoint } from './crash-point.ts';
import type { Layout } from './layout.ts';
import { placeLetters } from './letter-files.ts';
import { processIsAlive } from '../store/store-lock.ts';
import { strayFiles } from './stray-files.ts';

/** On a shared store, a temporary file younger than this may be another machine's letter being written. */
const SHARED_TEMPORARY_AGE_MS = 10 * 60_000;

/**
 * Finishes what a stop (a crash, a full disk) left of letters. A recorded letter not yet under its
 * final name is put there; one whose temporary file is gone or damaged is dropped from the store
 * and its study made again. At start-up, temporary files under out/ that no record names and no
 * other running process is writing are removed: a copy or a letter that was never finished (one
 * of this process's own id is left by an earlier run that had it, as in a container).
 */
export async function finishLetters(store: StudyStore, layout: Layout, logger: Logger, options: { atStartUp: boolean }): Promise<void> {
  const studies = new Set((await store.letters.notInPlace()).map((letter) => letter.studyRef));
  for (const studyId of studies) {
    try {
      const lost = await placeLetters(store, studyId);
      crashPoint('recovery:letter-finished');
      if (lost.length === 0) {
        logger.info({ studyId }, 'letters recorded before a stop put in place');
        continue;
      }
      const names = lost.map((letter) => basename(letter.path)).join(', ');
      await store.transaction(async (tx) => {
        for (const letter of lost) await tx.letters.delete(letter.id);
        await tx.studies.makeAgain(studyId, new Date().toISOString());
        await tx.audit.add(studyId, 'error', `letters ${names} were lost before they were in place; the study is made again`);
      });
      logger.error({ studyId, letters: names }, 'letters lost before they were in place; the study is made again');
    } catch (error) {
      logger.error({ studyId, err: error }, 'letters could not be put in place; will retry');
    }
  }
  if (!options.atStartUp) return; // the walk through all of out/ is for start-up, not every retry
  const { temporaries } = await strayFiles(store, layout);
  for (const file of temporaries) {
    if (file.recorded || (file.pid !== process.pid && processIsAlive(file.pid))) continue;
    // instances on other machines write into a shared out/ too, and their process ids mean nothing here: only an old one is left over
    if (store.shared && (await stat(file.path).then((info) => Date.now() - info.mtimeMs < SHARED_TEMPORARY_AGE_MS, () => true))) continue;
    await unlink(file.path).then(
      () => {
        logger.warn({ file: file.path }, 'unfinished temporary file removed');
        crashPoint('recovery:stray-removed');
      },
      (error: unknown) => logger.error({ file: file.path, err: error }, 'an unfinished temporary file could not be removed'),
    );
  }
}
