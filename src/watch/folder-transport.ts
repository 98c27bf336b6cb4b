import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileModes } from '../config/file-modes.ts';
import { sha256Of } from './file-hash.ts';
import { syncFolder, writeSynced } from './move-file.ts';

/** What a destination receives for one released version: its letters and a sidecar that says what they are. */
export interface DeliveryPayload {
  deliveryId: number;
  destination: string;
  study: { studyInstanceUid: string; accessionNumber: string | null; studyDate: string | null; version: number; state: string };
  patient: { id: string | null; issuer: string | null };
  classification: { category: string | null; path: string | null; indexRegion: string | null; indexSide: string | null; indexScore: number | null };
  letters: { kind: string; path: string; sha256: string }[];
}

/** The sidecar's name inside a delivered folder. */
export const SIDECAR_NAME = 'dexa-delivery.json';

/**
 * Delivers into a folder: one subfolder per study version (its name stable, so a delivery tried
 * again lands on the same name), with the letters and the sidecar. Written under a temporary
 * name, synced, and renamed into place: the receiver sees the whole delivery or none of it. A
 * folder already there with this delivery's sidecar is a delivery that was made before the
 * service could record it: it counts as done, and nothing is written twice. The destination
 * folder itself is never created: a share that is not mounted is a failed attempt, not a new
 * folder on the local disk.
 */
export async function deliverToFolder(root: string, payload: DeliveryPayload, modes: FileModes): Promise<string> {
  const info = await stat(root).catch(() => null);
  if (info === null) throw new Error(`the destination folder ${root} is not there (not mounted?)`);
  if (!info.isDirectory()) throw new Error(`the destination ${root} is not a folder`);
  const final = join(root, deliveryFolderName(payload));
  if (await alreadyDelivered(final, payload.deliveryId)) return final;
  const temporary = join(root, `.${basename(final)}.partial-${process.pid}`);
  await removeEarlierAttempts(root, basename(final));
  try {
    const within = { root, modes };
    const files: { name: string; sha256: string; kind: string }[] = [];
    for (const letter of payload.letters) {
      const bytes = await readFile(letter.path);
      if (sha256Of(bytes) !== letter.sha256) throw new Error(`${letter.path} is not the letter that was released (its SHA-256 differs)`);
      await writeSynced(join(temporary, basename(letter.path)), bytes, within);
      files.push({ name: basename(letter.path), sha256: letter.sha256, kind: letter.kind });
    }
    const sidecar = { ...payload, letters: files, deliveredAt: new Date().toISOString() };
    await writeSynced(join(temporary, SIDECAR_NAME), `${JSON.stringify(sidecar, null, 2)}\n`, within);
    await syncFolder(temporary);
    await rename(temporary, final);
    await syncFolder(root);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return final;
}

/** `<accession or 'study'>-<12 hex of the study UID>-v<version>`: unique per study version, and no patient name in it. */
export function deliveryFolderName(payload: Pick<DeliveryPayload, 'study'>): string {
  const accession = (payload.study.accessionNumber ?? 'study').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 32) || 'study';
  const uid = createHash('sha256').update(payload.study.studyInstanceUid).digest('hex').slice(0, 12);
  return `${accession}-${uid}-v${payload.study.version}`;
}

/**
 * A delivery is claimed by one worker at a time, so a temporary folder of this version is what an
 * earlier attempt left when its process was killed (here or on another machine): it goes, or the
 * receiver would find it beside the delivery.
 */
async function removeEarlierAttempts(root: string, folderName: string): Promise<void> {
  const prefix = `.${folderName}.partial-`;
  for (const name of await readdir(root)) {
    if (name.startsWith(prefix)) await rm(join(root, name), { recursive: true, force: true });
  }
}

async function alreadyDelivered(folder: string, deliveryId: number): Promise<boolean> {
  const text = await readFile(join(folder, SIDECAR_NAME), 'utf8').catch(() => null);
  if (text === null) {
    if ((await stat(folder).catch(() => null)) !== null) throw new Error(`${folder} is there but holds no delivery sidecar; it is left alone`);
    return false;
  }
  const sidecar = JSON.parse(text) as { deliveryId?: unknown };
  if (sidecar.deliveryId !== deliveryId) throw new Error(`${folder} holds delivery ${String(sidecar.deliveryId)}, not ${deliveryId}; it is left alone`);
  return true;
}
