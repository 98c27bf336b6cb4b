import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { LetterFile } from '../letters/render-letters.ts';
import type { LetterRecord, WrittenLetter } from '../store/letter-records.ts';
import type { StudyStore } from '../store/study-store.ts';
import { crashPoint, type CrashPointName } from './crash-point.ts';
import { sha256Of, sha256OfFile } from './file-hash.ts';
import { outFolders } from './layout.ts';
import { exists, moveFile, syncFolder, temporaryName, writeSynced, type Within } from './move-file.ts';

/**
 * Writes a study's letters into `folder` under temporary names, each whole or not at all, and
 * chooses final names no other study's letter has. Nothing is under a final name until the store
 * has recorded it (`placeLetters`), so an unrecorded file never looks like a letter. When one
 * cannot be written (a full disk), those written so far are removed.
 */
export async function writeLetters(store: StudyStore, studyId: number, letters: LetterFile[], folder: string, to: Within): Promise<WrittenLetter[]> {
  const written: WrittenLetter[] = [];
  // every letter's name reserved in one transaction (one disk sync for the study, not one per letter)
  const paths = await store.transaction(async (tx) => {
    const chosen: string[] = [];
    for (const letter of letters) chosen.push(await letterPath(tx, studyId, join(folder, letter.fileName), chosen));
    return chosen;
  });
  try {
    for (const [i, letter] of letters.entries()) {
      const path = paths[i]!;
      const temporaryPath = temporaryName(path);
      await writeSynced(temporaryPath, letter.pdf, to);
      written.push({ kind: letter.kind, path, temporaryPath, sha256: sha256Of(letter.pdf) });
      crashPoint('letters:temporary-written');
    }
  } catch (error) {
    await discardLetters(written);
    throw error;
  }
  return written;
}

/**
 * The second half of writing letters: `record` them (moving what they replace, then one
 * transaction); if that fails, the written letters are removed. Once recorded, they are put under
 * their final names; a stop in between is finished by the service at its next start.
 */
export async function recordAndPlaceLetters(store: StudyStore, studyId: number, written: WrittenLetter[], record: () => Promise<void>, recorded: CrashPointName): Promise<void> {
  try {
    await record();
  } catch (error) {
    await discardLetters(written);
    throw error;
  }
  crashPoint(recorded);
  const lost = await placeLetters(store, studyId);
  if (lost.length > 0) throw new Error(`letters ${lost.map((letter) => basename(letter.path)).join(', ')} were gone before they could be put in place`);
}

/** Removes letters written but not recorded (what went wrong is reported by the caller). */
export async function discardLetters(written: WrittenLetter[]): Promise<void> {
  for (const letter of written) await unlink(letter.temporaryPath).catch(() => undefined);
}

/**
 * Renames a study's recorded letters into their final names and records that they are in place.
 * Idempotent: a letter already renamed by a run that stopped before recording it is only marked.
 * Returns the letters that could not be placed: their temporary file is gone or not what was recorded.
 */
export async function placeLetters(store: StudyStore, studyId?: number): Promise<LetterRecord[]> {
  const lost: LetterRecord[] = [];
  const placed: LetterRecord[] = [];
  for (const letter of await store.letters.notInPlace(studyId)) (await placeLetter(letter) ? placed : lost).push(letter);
  // every folder synced once, then every letter marked in one transaction: a stop in between
  // leaves letters under their final names, unmarked, which the next run only marks
  for (const folder of new Set(placed.map((letter) => dirname(letter.path)))) await syncFolder(folder);
  if (placed.length > 0) await store.transaction(async (tx) => {
    for (const letter of placed) await tx.letters.markInPlace(letter.id);
  });
  return lost;
}

async function placeLetter(letter: LetterRecord): Promise<boolean> {
  const temporary = letter.temporaryPath;
  if (temporary !== null && (await sha256OfFile(temporary)) === letter.sha256) {
    await rename(temporary, letter.path);
    crashPoint('letters:renamed');
    return true;
  }
  if ((await sha256OfFile(letter.path)) === letter.sha256) return true;
  if (temporary !== null) await unlink(temporary).catch(() => undefined); // not the recorded letter: never put in place
  return false;
}

/**
 * Moves letters into `folder` (their names prefixed, if asked) and says where each went. A letter
 * already gone from its recorded place was moved by a run that stopped before recording it.
 */
export async function moveLetters(letters: LetterRecord[], folder: string, to: Within, prefix = ''): Promise<{ id: number; path: string }[]> {
  const moved: { id: number; path: string }[] = [];
  for (const letter of letters) {
    const destination = await asideName(letter, join(folder, `${prefix}${basename(letter.path)}`));
    if (await exists(letter.path)) await moveFile(letter.path, destination, to.root, to);
    crashPoint('supersede:moved');
    moved.push({ id: letter.id, path: destination });
  }
  return moved;
}

/**
 * Where a letter goes when it is moved aside: its own name, unless an earlier version of the study
 * already lies there (each version's letter is kept): then `name~v<version>.pdf`. Found again the
 * same way after a stop between the move and its record, by the letter's hash.
 */
async function asideName(letter: LetterRecord, plain: string): Promise<string> {
  const versioned = plain.replace(/(\.pdf)?$/, `~v${letter.version}$1`);
  if (!(await exists(plain))) return (await exists(versioned)) && !(await exists(letter.path)) ? versioned : plain;
  if (letter.sha256 !== null && (await sha256OfFile(plain)) === letter.sha256) return plain;
  return versioned;
}

/**
 * The configured name, unless a letter of another study already has it (two studies on one day
 * without accession numbers) or a file the store does not know lies there: then `name~2.pdf`.
 * Another study's letter keeps its name in superseded/ and rejected/ too, so the name stays its
 * own in any folder: one study's letters never replace another's there.
 * A re-render of this study's own version may replace its own file.
 */
async function letterPath(store: StudyStore, studyId: number, desired: string, alsoTaken: string[]): Promise<string> {
  // the names other studies hold, asked once: a day of studies without accession numbers would
  // otherwise cost a query (and a stat) per name already given
  const reserved = await store.letters.namesReservedByOthers(basename(desired).replace(/\.pdf$/, ''), studyId);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? desired : desired.replace(/\.pdf$/, `~${n}.pdf`);
    if (reserved.has(basename(candidate))) continue;
    const folders = outFolders({ inbox: '', out: dirname(dirname(candidate)) });
    const sameName = [folders.letters, folders.review, folders.superseded, folders.rejected].map((folder) => join(folder, basename(candidate)));
    if (alsoTaken.includes(candidate)) continue;
    const use = await store.letters.pathUse(studyId, sameName, candidate);
    if (use.takenByOther || !(await store.letters.reserveName(basename(candidate), studyId))) continue;
    if (use.ours || !(await exists(candidate))) return candidate;
  }
}
