import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import { ProblemCode } from '../../src/model/problems.ts';
import { studyFiles } from './service.ts';
import { syntheticStudy } from './studies.ts';

/** Where an input must end: archived, archived as a duplicate or as a note, or quarantined. */
export type Place = 'archive' | 'duplicates' | 'not-exports' | 'quarantine';

export interface Input {
  /** its path in the inbox */
  path: string;
  sha256: string;
  place: Place;
}

/** How a study of the workload arrives: whole, held for want of a context (approved later), or in two parts. */
export type Shape = 'whole' | 'held' | 'late-instance' | 'late-context';

interface WorkloadStudy {
  id: string;
  uid: string;
  patientId: string;
  shape: Shape;
  fixture: FixtureStudy;
  dropped: 'no' | 'first' | 'all';
}

const SHAPES: Shape[] = ['whole', 'held', 'late-instance', 'whole', 'late-context', 'late-instance', 'held', 'whole', 'whole', 'held'];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The kill test's inputs, dropped into the inbox in batches while the service is down: studies of
 * unique patients (whole; without context, so held; or with an instance or the context arriving
 * later, making a new version), a note, a duplicate export, corrupt files and stalled (truncated)
 * exports. Every file dropped is remembered with the place it must end up in.
 */
export class Workload {
  readonly inputs: Input[] = [];
  readonly studies: WorkloadStudy[];
  #corrupt = 0;
  #stalled = 0;
  #duplicateDropped = false;

  readonly inbox: string;

  constructor(inbox: string) {
    this.inbox = inbox;
    this.studies = SHAPES.map((shape, i) => {
      const fixture = syntheticStudy(`kill-${i}`);
      return { id: fixture.id, uid: fixtureUids(fixture).study, patientId: fixture.patient.id, shape, fixture, dropped: 'no' };
    });
  }

  /** The next study not dropped yet (of that shape), with its first part; false when there is none. */
  async dropNextStudy(shape?: Shape): Promise<boolean> {
    const study = this.studies.find((candidate) => candidate.dropped === 'no' && (shape === undefined || candidate.shape === shape));
    if (!study) return false;
    const [sr1, sr2, context] = studyFiles(study.fixture);
    const first = { whole: [sr1!, sr2!, context!], held: [sr1!, sr2!], 'late-instance': [sr1!, context!], 'late-context': [sr1!, sr2!] }[study.shape];
    await this.#drop(study.id, first, 'archive');
    if (study.id === 'kill-0') await this.#drop(study.id, [{ name: 'notes.txt', bytes: new TextEncoder().encode('belt 14:05, patiënt had pijn\n') }], 'not-exports');
    study.dropped = study.shape === 'late-instance' || study.shape === 'late-context' ? 'first' : 'all';
    return true;
  }

  /** Studies whose second part has not arrived yet. */
  awaitingLatePart(): WorkloadStudy[] {
    return this.studies.filter((study) => study.dropped === 'first');
  }

  /** The second part of a study: its second instance, or its clinical context. */
  async dropLatePart(study: WorkloadStudy): Promise<void> {
    const [, sr2, context] = studyFiles(study.fixture);
    await this.#drop(study.id, [study.shape === 'late-instance' ? sr2! : context!], 'archive');
    study.dropped = 'all';
  }

  /** Bytes that are no DICOM at all (longer than a preamble, so not taken for a file still being written). */
  async dropCorrupt(): Promise<void> {
    const k = ++this.#corrupt;
    await this.#drop('junk', [{ name: `broken-${k}.dcm`, bytes: new TextEncoder().encode(`not a DICOM file ${k}\n`.repeat(20)) }], 'quarantine');
  }

  /** An export whose scanner stalled mid-write for good: waited for, then quarantined. */
  async dropStalled(): Promise<void> {
    const k = ++this.#stalled;
    const [sr1] = studyFiles(syntheticStudy(`kill-stalled-${k}`));
    await this.#drop(`stalled-${k}`, [{ name: 'SR1.dcm', bytes: truncated(sr1!.bytes) }], 'quarantine');
  }

  /** A copy of an export already taken, under another folder: archived as a duplicate. */
  async dropDuplicate(): Promise<void> {
    if (this.#duplicateDropped) return;
    const [sr1] = studyFiles(this.studies[0]!.fixture);
    await this.#drop('again', [sr1!], 'duplicates');
    this.#duplicateDropped = true;
  }

  get duplicateDropped(): boolean {
    return this.#duplicateDropped;
  }

  /** Everything not dropped yet: the rest of the studies, their late parts, the duplicate. */
  async dropRest(): Promise<void> {
    while (await this.dropNextStudy());
    for (const study of this.awaitingLatePart()) await this.dropLatePart(study);
    await this.dropDuplicate();
  }

  async #drop(folder: string, files: { name: string; bytes: Uint8Array }[], place: Place): Promise<void> {
    for (const file of files) {
      const path = `${folder}/${file.name}`;
      await mkdir(dirname(join(this.inbox, path)), { recursive: true });
      await writeFile(join(this.inbox, path), file.bytes);
      this.inputs.push({ path, sha256: sha256(file.bytes), place });
    }
  }
}

/** The longest prefix up to half of an SR that reads as TRUNCATED: what a stalled scanner leaves. */
function truncated(bytes: Uint8Array): Uint8Array {
  for (let length = Math.floor(bytes.length / 2); length > 0; length--) {
    const read = readExportBytes(bytes.subarray(0, length), 'cut.dcm');
    if (!read.ok && read.failure.code === ProblemCode.TRUNCATED) return bytes.subarray(0, length);
  }
  throw new Error('no truncated prefix');
}
