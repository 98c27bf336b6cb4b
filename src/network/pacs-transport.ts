import dimse from 'dcmjs-dimse';
import type { Language } from '../config/config-schema.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { writeEncapsulatedPdf } from '../dicom/write-encapsulated-pdf.ts';
import { writeProfileSr } from '../dicom/write-profile-sr.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN, sentUids, type NaturalDataset, type ResultToSend } from '../dicom/write-result-modules.ts';

const { Client, Dataset } = dimse;
const { CStoreRequest } = dimse.requests;

/** A PACS node as the configuration names it (deliveries.destinations, kind dicom). */
export interface PacsNode {
  aeTitle: string;
  host: string;
  port: number;
  callingAeTitle: string;
  timeoutSeconds: number;
}

/** One object to store. */
export interface PacsObject {
  /** what it is, for messages: 'the GP letter', 'the result SR' */
  label: string;
  dataset: NaturalDataset;
}

/** C-STORE statuses that mean the object is stored: Success, and the warnings "coerced", "elements discarded", "data set does not match SOP class". */
const STORED = new Map<number, string>([
  [0x0000, 'success'],
  [0xb000, 'warning: coercion of data elements'],
  [0xb006, 'warning: elements discarded'],
  [0xb007, 'warning: data set does not match SOP class'],
]);

/**
 * Stores the objects in one association. Resolves when the PACS answered every one with success
 * or a warning that still means stored; rejects otherwise (refused association, connection lost
 * or refused, a presentation context not accepted, a failure status, no answer in time), so the
 * outbox tries again later. A try again sends the same SOP Instance UIDs: what a PACS stored
 * already, it takes as the same object.
 */
export async function storeInPacs(node: PacsNode, objects: readonly PacsObject[]): Promise<string[]> {
  dimse.log.setLevel('silent'); // its own console logging: every outcome reaches the outbox, which logs it as JSON
  const client = new Client();
  const outcomes = new Map<PacsObject, { status: number; comment: string }>();
  for (const object of objects) {
    const request = new CStoreRequest(new Dataset(object.dataset, EXPLICIT_VR_LITTLE_ENDIAN));
    request.on('response', (response: { getStatus(): number; getErrorComment(): string | undefined }) => {
      outcomes.set(object, { status: response.getStatus(), comment: response.getErrorComment() ?? '' });
    });
    client.addRequest(request);
  }
  const where = `${node.aeTitle}@${node.host}:${node.port}`;
  const timeoutMs = node.timeoutSeconds * 1000;
  return new Promise<string[]>((resolve, reject) => {
    let problem: string | null = null;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      if (problem !== null) return reject(new Error(`PACS ${where}: ${problem}`));
      const failed = objects.map((object) => {
        const outcome = outcomes.get(object);
        if (outcome === undefined) return `${object.label} was not stored (no answer; is its SOP class accepted?)`;
        if (!STORED.has(outcome.status)) return `${object.label} was refused with status 0x${outcome.status.toString(16).padStart(4, '0')}${outcome.comment ? ` (${outcome.comment})` : ''}`;
        return null;
      }).filter((message) => message !== null);
      if (failed.length > 0) return reject(new Error(`PACS ${where}: ${failed.join('; ')}`));
      resolve(objects.map((object) => `${object.label}: ${STORED.get(outcomes.get(object)?.status ?? 0)}`));
    };
    // the library's own timeouts close the connection; this one makes sure the attempt ends
    const guard = setTimeout(() => {
      problem ??= `no end to the association after ${node.timeoutSeconds * (2 + objects.length)} s`;
      try {
        client.abort();
      } catch {
        // no association to abort
      }
      finish();
    }, timeoutMs * (2 + objects.length));
    client.on('associationRejected', (why: { result: number; source: number; reason: number }) => {
      problem ??= `the association was rejected (result ${why.result}, source ${why.source}, reason ${why.reason}; are the AE titles right?)`;
    });
    // a lost or timed-out connection ends the attempt at once, without waiting for the peer to close its side
    client.on('networkError', (error: Error) => {
      problem ??= error.message.replace(/^.*?-> /, '');
      finish();
    });
    client.on('closed', finish);
    try {
      client.send(node.host, node.port, node.callingAeTitle, node.aeTitle, { connectTimeout: timeoutMs, associationTimeout: timeoutMs, pduTimeout: timeoutMs });
      // The client does not pass on an A-ABORT from the PACS; its connection (set by send) does.
      // Without it, an abort would wait for the timeout.
      (client as unknown as { network?: { on(event: 'abort', listener: (why: { source: number; reason: number }) => void): void } }).network?.on('abort', (why) => {
        problem ??= `the PACS aborted the association (source ${why.source}, reason ${why.reason})`;
        finish();
      });
    } catch (error) {
      problem ??= (error as Error).message;
      finish();
    }
  });
}

/** The Encapsulated PDF's Document Title, in the letter's language; an amendment says so. */
const DOCUMENT_TITLES: Record<Language, (version: number) => string> = {
  nl: (version) => `DXA-botdichtheidsmeting: brief aan de huisarts${version === 1 ? '' : ` (gewijzigd, versie ${version})`}`,
  en: (version) => `DXA bone density: letter to the GP${version === 1 ? '' : ` (amended, version ${version})`}`,
};

/** A released version as the PACS gets it. */
export interface ReleaseForPacs {
  assessed: AssessedStudy;
  version: number;
  /** the released GP letter, exactly as released */
  gpLetter: Uint8Array;
  /** earlier versions this destination received: the new objects reference theirs */
  sentBefore: readonly number[];
  releasedAt: Date;
  /** who signs the letters: the SR's person observer */
  observer: string;
  /** the letters' language: the document title's */
  language: Language;
}

/**
 * Sends a released version to a PACS in the study it reports on: the GP letter as an
 * Encapsulated PDF and the result as a DXA profile SR, each in a new series, with UIDs derived
 * from the study, version and destination (write-result-modules.ts, sentUids).
 */
export async function sendResultsToPacs(node: PacsNode, destination: string, release: ReleaseForPacs): Promise<string> {
  const uid = release.assessed.study.studyInstanceUid;
  const result: ResultToSend = {
    assessed: release.assessed,
    version: release.version,
    uids: sentUids(uid, release.version, destination),
    predecessors: release.sentBefore.map((version) => sentUids(uid, version, destination)),
    releasedAt: release.releasedAt,
  };
  const title = DOCUMENT_TITLES[release.language](release.version);
  await storeInPacs(node, [
    { label: 'the GP letter (Encapsulated PDF)', dataset: writeEncapsulatedPdf(result, release.gpLetter, title) },
    { label: 'the result (DXA profile SR)', dataset: writeProfileSr(result, release.observer) },
  ]);
  return `${node.aeTitle}@${node.host}:${node.port} (PDF ${result.uids.pdfInstance}, SR ${result.uids.srInstance})`;
}
