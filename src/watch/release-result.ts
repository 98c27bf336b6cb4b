import { readFile } from 'node:fs/promises';
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { Templates } from '../letters/load-templates.ts';
import { letterText, type ResultInput } from '../results/result-input.ts';
import type { Release } from './delivery-transport.ts';
import { sha256Of } from './file-hash.ts';

/** What a result message is made of besides the release: the department's setup and letter templates. */
export interface ResultSetup {
  config: DepartmentConfig;
  templates: Templates;
}

/**
 * A released version as a result message's input: its stored result and its letters, read back
 * and checked against the SHA-256 recorded at release (a letter changed since is a failed try,
 * never sent). A released version is never held: it goes out as final, or corrected when amended.
 */
/** A released letter's bytes, read back; one that changed since its release is a failed try, never sent. */
export async function readReleasedLetter(letter: { path: string; sha256: string }): Promise<Buffer> {
  const bytes = await readFile(letter.path);
  if (sha256Of(bytes) !== letter.sha256) throw new Error(`${letter.path} is not the letter that was released (its SHA-256 differs)`);
  return bytes;
}

export async function resultInputOf(release: Release, setup: ResultSetup, embedPdfs?: readonly ('gp' | 'patient')[]): Promise<ResultInput> {
  const letters: ResultInput['letters'] = { gp: null, patient: null };
  for (const letter of release.payload.letters) {
    if (letter.kind !== 'gp' && letter.kind !== 'patient') continue;
    letters[letter.kind] = await readReleasedLetter(letter);
  }
  const config = embedPdfs === undefined ? setup.config : { ...setup.config, hospital: { ...setup.config.hospital, embedPdfs: [...embedPdfs] } };
  return {
    study: release.assessed,
    version: release.payload.study.version,
    held: false,
    config,
    templates: setup.templates,
    letters,
    gpLetterText: letters.gp === null ? null : await letterText(letters.gp),
  };
}
