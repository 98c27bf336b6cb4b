import { basename, join } from 'node:path';
import type { LetterFile } from '../letters/render-letters.ts';
import type { Database } from '../store/database.ts';
import type { LetterRecord } from '../store/letter-records.ts';
import { exists, moveFile, writeFileAtomic, type Within } from './move-file.ts';

/** Writes a study's letters into `folder`, each whole or not at all, under a name no other study's letter has. */
export async function writeLetters(db: Database, studyId: number, letters: LetterFile[], folder: string, to: Within): Promise<{ kind: 'gp' | 'patient'; path: string }[]> {
  const written: { kind: 'gp' | 'patient'; path: string }[] = [];
  for (const letter of letters) {
    const path = await letterPath(db, studyId, join(folder, letter.fileName));
    await writeFileAtomic(path, letter.pdf, to);
    written.push({ kind: letter.kind, path });
  }
  return written;
}

/**
 * Moves letters into `folder` (their names prefixed, if asked) and says where each went. A letter
 * already gone from its recorded place was moved by a run that stopped before recording it.
 */
export async function moveLetters(letters: LetterRecord[], folder: string, to: Within, prefix = ''): Promise<{ id: number; path: string }[]> {
  const moved: { id: number; path: string }[] = [];
  for (const letter of letters) {
    const destination = join(folder, `${prefix}${basename(letter.path)}`);
    if (await exists(letter.path)) await moveFile(letter.path, destination, to.root, to);
    moved.push({ id: letter.id, path: destination });
  }
  return moved;
}

/**
 * The configured name, unless a letter of another study already has it (two studies on one day
 * without accession numbers): then `name~2.pdf`. A re-render of this study's own version may
 * replace its own file, which is what makes a restart after a crash write no second letter.
 */
async function letterPath(db: Database, studyId: number, desired: string): Promise<string> {
  const takenByOther = db.prepare('SELECT 1 FROM letters WHERE path = ? AND study_ref != ?');
  const ours = db.prepare('SELECT 1 FROM letters WHERE path = ? AND study_ref = ?');
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? desired : desired.replace(/\.pdf$/, `~${n}.pdf`);
    if (takenByOther.get(candidate, studyId) !== undefined) continue;
    if (ours.get(candidate, studyId) !== undefined || !(await exists(candidate))) return candidate;
  }
}
