import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';

/** This program as the implementation that wrote a received file's meta header. */
export const IMPLEMENTATION_CLASS_UID = '2.25.190736184729360812045137745618320975831';
export const IMPLEMENTATION_VERSION = 'DEXA_REPORT_0.1';

/** The ending of a file being received: never taken by the watcher (it is a dot-file too), removed when left by a stop. */
export const RECEIVING_SUFFIX = '.dexa-receiving';

/**
 * The data set of one C-STORE as it arrives, its bytes kept exactly as sent (never parsed, never
 * transcoded), hashed as they come. Past `maxBytes` the bytes are dropped and the object is
 * marked too large; it is refused once it has all arrived. Never asks the sender to wait
 * (dcmjs-dimse would otherwise take the next PDU before this one's data is written).
 */
export class ReceivedObject extends Writable {
  readonly #chunks: Buffer[] = [];
  readonly #hash = createHash('sha256');
  readonly #maxBytes: number;
  size = 0;
  tooLarge = false;

  constructor(maxBytes: number) {
    super({ highWaterMark: Number.MAX_SAFE_INTEGER, decodeStrings: true });
    this.#maxBytes = maxBytes;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.size += chunk.length;
    if (this.size > this.#maxBytes) {
      this.tooLarge = true;
      this.#chunks.length = 0;
    } else {
      this.#chunks.push(chunk);
      this.#hash.update(chunk);
    }
    done();
  }

  /** The data set's bytes (the file meta header not included) and their SHA-256. */
  contents(): { bytes: Buffer[]; sha256: string } {
    return { bytes: this.#chunks, sha256: this.#hash.copy().digest('hex') };
  }
}

/** What a received object's file meta header says. */
export interface MetaHeader {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** the calling AE title: who sent it (Source Application Entity Title) */
  sourceAeTitle: string;
}

/** The 128-byte preamble, `DICM` and the group 2 elements (explicit VR little endian, as Part 10 wants). */
export function part10Header(meta: MetaHeader): Buffer {
  const elements = [
    element(0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 'UI', uid(meta.sopClassUid)),
    element(0x0003, 'UI', uid(meta.sopInstanceUid)),
    element(0x0010, 'UI', uid(meta.transferSyntaxUid)),
    element(0x0012, 'UI', uid(IMPLEMENTATION_CLASS_UID)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION)),
    element(0x0016, 'AE', text(meta.sourceAeTitle)),
  ];
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(elements.reduce((sum, e) => sum + e.length, 0));
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0000, 'UL', groupLength), ...elements]);
}

function element(elementNumber: number, vr: string, value: Buffer): Buffer {
  const long = vr === 'OB';
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(elementNumber, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

const uid = (value: string) => (value.length % 2 === 0 ? Buffer.from(value, 'latin1') : Buffer.concat([Buffer.from(value, 'latin1'), Buffer.from([0])]));
const text = (value: string) => Buffer.from(value.length % 2 === 0 ? value : `${value} `, 'latin1');

/** A name part made of what any file system takes: letters, digits, dot, dash, underscore; never a dot-file, never empty. */
export function safeName(value: string): string {
  const cleaned = value.trim().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128);
  return cleaned === '' || cleaned.startsWith('.') ? `_${cleaned}` : cleaned;
}

/**
 * Writes a received object into the inbox whole or not at all: the file meta header and the bytes
 * as received into a dot-file beside its place (which the watcher never takes), fsync, then a
 * link to its final name (which never replaces a file already there: a name of the same SOP
 * instance gets `~2`, `~3`…), fsync of the folder. Returns the path it got.
 */
export async function writeIntoInbox(folder: string, name: string, header: Buffer, bytes: readonly Buffer[], modes: { file: number; folder: number }): Promise<string> {
  await mkdir(folder, { recursive: true, mode: modes.folder });
  const temporary = join(folder, `.${name}.${randomBytes(6).toString('hex')}${RECEIVING_SUFFIX}`);
  const handle = await open(temporary, 'wx', modes.file);
  try {
    await handle.writev([header, ...bytes]);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    const placed = await placeWithoutReplacing(temporary, join(folder, name));
    await syncFolder(folder);
    return placed;
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

async function placeWithoutReplacing(temporary: string, path: string): Promise<string> {
  const dot = basename(path).lastIndexOf('.');
  const stem = dot > 0 ? path.slice(0, path.length - (basename(path).length - dot)) : path;
  const extension = dot > 0 ? basename(path).slice(dot) : '';
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? path : `${stem}~${n}${extension}`;
    try {
      await link(temporary, candidate);
      await unlink(temporary);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      // a file system without hard links: a rename, after looking (the only writer of these names is this receiver)
      if (await stat(candidate).then(() => true, () => false)) continue;
      await rename(temporary, candidate);
      return candidate;
    }
  }
  throw new Error(`${path}: no free name`);
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync().catch(() => undefined); // some file systems cannot fsync a folder; the link itself happened
  } finally {
    await handle.close();
  }
}

/** Removes what a stop left half-written under `folder` (files with the receiving suffix older than `olderThanMs`); returns them, relative. */
export async function removeLeftovers(folder: string, olderThanMs: number): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(RECEIVING_SUFFIX)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => null);
    if (info === null || Date.now() - info.mtimeMs < olderThanMs) continue;
    await unlink(path).catch(() => undefined);
    removed.push(relative(folder, path));
  }
  return removed;
}
