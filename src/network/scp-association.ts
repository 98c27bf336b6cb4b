import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join, relative } from 'node:path';
import type { Writable } from 'node:stream';
import dimse from 'dcmjs-dimse';
import type { Logger } from 'pino';
import type { FileModes } from '../config/file-modes.ts';
import type { AssociationCounts } from '../store/dicom-receipts.ts';
import type { StudyStore } from '../store/study-store.ts';
import { acceptedSyntax, type CallerRule, callerAllowed } from './association-policy.ts';
import { part10Header, ReceivedObject, safeName, writeIntoInbox } from './receiver-file.ts';

const { Scp, Dataset } = dimse;
const { CEchoResponse, CStoreResponse } = dimse.responses;
const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason } = dimse.constants;

type Association = dimse.association.Association;
type PresentationContext = dimse.association.PresentationContext;
type CStoreRequest = dimse.requests.CStoreRequest;
type CEchoRequest = dimse.requests.CEchoRequest;
type CStoreResponse = dimse.responses.CStoreResponse;
type CEchoResponse = dimse.responses.CEchoResponse;
type ScpOptions = ConstructorParameters<typeof Scp>[1];

/** C-STORE failure: Refused, out of resources. The sender keeps the object and tries again. */
export const STATUS_OUT_OF_RESOURCES = 0xa700;

/** What every association of one receiver shares. */
export interface ReceiverContext {
  aeTitle: string;
  callers: readonly CallerRule[];
  /** the inbox the watcher takes files from; objects go into its `dicom/` folder */
  inbox: string;
  /** modes of the files and folders written into the inbox */
  modes: FileModes;
  maxObjectBytes: number;
  store: StudyStore;
  logger: Logger;
  /** a place among the associations held at once, or false when all are taken */
  admit(): boolean;
  /** gives back the place `admit` gave */
  leave(): void;
  /** an operation that must finish before the receiver stops (a C-STORE being written) */
  track<T>(work: Promise<T>): Promise<T>;
}

interface Pending {
  object: ReceivedObject;
  context: PresentationContext;
}

/**
 * One association with one caller: who may call (the called AE title must be ours, the calling AE
 * title and address on the allow-list, and a place free among the associations held at once),
 * which objects it may send (presentation contexts), and each C-STORE written into the inbox and
 * recorded before Success is answered.
 */
export class AssociationScp extends Scp {
  readonly #receiver: ReceiverContext;
  readonly #pending = new WeakMap<CStoreRequest, Pending>();
  readonly #counts: AssociationCounts = { received: 0, stored: 0, duplicates: 0, refused: 0, refusals: {} };
  readonly #address: string;
  readonly #socket: Socket;
  #id: string | null = null;
  #callingAe = '';
  #admitted = false;
  #ended = false;
  #folder = '';

  constructor(socket: Socket, options: ScpOptions, receiver: ReceiverContext) {
    super(socket, options);
    this.#receiver = receiver;
    this.#socket = socket;
    this.#address = plainAddress(socket.remoteAddress ?? '');
    this.on('close', () => void this.#end('aborted', 'the connection closed without a release'));
  }

  get associationId(): string | null {
    return this.#id;
  }

  override associationRequested(association: Association): void {
    void this.#associationRequested(association).catch((error: unknown) => this.#receiver.logger.error({ err: error }, 'DICOM association request could not be handled'));
  }

  async #associationRequested(association: Association): Promise<void> {
    const { logger, store } = this.#receiver;
    const id = randomUUID();
    const callingAe = association.getCallingAeTitle().trim();
    const calledAe = association.getCalledAeTitle().trim();
    const who = { association: id, callingAe, calledAe, address: this.#address };
    // recorded before the peer hears of it: what `dexa status` shows is never behind what the sender saw
    const refuse = async (result: number, source: number, reason: number, why: string) => {
      await store.dicom.associationStarted({ id, callingAe, calledAe, address: this.#address, outcome: 'rejected', reason: why }).catch((error: unknown) => logger.error({ err: error, ...who }, 'a refused DICOM association could not be recorded'));
      this.sendAssociationReject(result, source, reason);
      logger.warn({ ...who, reason: why }, 'DICOM association refused');
      // the requester closes the connection on a reject; one that does not is closed for it
      setTimeout(() => this.#socket.destroy(), 2000).unref();
    };
    if (calledAe !== this.#receiver.aeTitle) return void (await refuse(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized, `called AE title ${calledAe} is not ${this.#receiver.aeTitle}`));
    if (!callerAllowed(this.#receiver.callers, callingAe, this.#address)) return void (await refuse(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized, `calling AE title ${callingAe} from ${this.#address} is not an allowed caller`));
    if (!this.#receiver.admit()) return void (await refuse(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded, 'as many associations as allowed are open'));
    this.#admitted = true;
    const refusedClasses = new Set<string>();
    for (const { context } of association.getPresentationContexts()) {
      const syntax = acceptedSyntax(context.getAbstractSyntaxUid(), context.getTransferSyntaxUids());
      if (syntax === 'abstract') {
        context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        refusedClasses.add(context.getAbstractSyntaxUid());
      } else if (syntax === 'transfer') context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      else context.setResult(PresentationContextResult.Accept, syntax);
    }
    try {
      await store.dicom.associationStarted({ id, callingAe, calledAe, address: this.#address, outcome: 'open' });
    } catch (error) {
      this.#admitted = false;
      this.#receiver.leave();
      logger.error({ err: error, ...who }, 'a DICOM association could not be recorded; refused as transient');
      this.sendAssociationReject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.TemporaryCongestion);
      return;
    }
    this.#id = id;
    this.#callingAe = callingAe;
    const started = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    this.#folder = join(this.#receiver.inbox, 'dicom', safeName(callingAe), `${started}-${id.slice(0, 8)}`);
    this.sendAssociationAccept();
    logger.info(who, 'DICOM association accepted');
    if (refusedClasses.size > 0) logger.debug({ ...who, refusedClasses: [...refusedClasses] }, 'DICOM presentation contexts refused: SOP classes not accepted');
  }

  /** A release: the association's counts are recorded, then the release is answered. */
  override associationReleaseRequested(): void {
    void this.#end('released', null).finally(() => this.sendAssociationReleaseResponse());
  }

  /** An A-ABORT: the association is over, and the connection is closed at once (the caller waits for that). */
  override abort(): void {
    void this.#end('aborted', 'the caller aborted the association');
    this.#socket.destroy();
  }

  override cEchoRequest(request: CEchoRequest, callback: (response: CEchoResponse) => void): void {
    const response = CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    callback(response);
  }

  override createStoreWritableStream(context: PresentationContext, request: CStoreRequest): Writable {
    const object = new ReceivedObject(this.#receiver.maxObjectBytes);
    this.#pending.set(request, { object, context });
    return object;
  }

  /** The data set is never parsed: its bytes are written as they came. dcmjs-dimse gets an empty one to pass along. */
  override createDatasetFromStoreWritableStream(_writable: Writable, _context: PresentationContext, callback: (dataset: dimse.Dataset) => void): void {
    callback(new Dataset());
  }

  override cStoreRequest(request: CStoreRequest, callback: (response: CStoreResponse) => void): void {
    void this.#receiver.track(this.#store(request)).then(callback);
  }

  async #store(request: CStoreRequest): Promise<CStoreResponse> {
    const { logger, store } = this.#receiver;
    const response = CStoreResponse.fromRequest(request);
    const sopClassUid = String(request.getAffectedSopClassUid() ?? '');
    const sopInstanceUid = String(request.getAffectedSopInstanceUid() ?? '');
    const pending = this.#pending.get(request);
    this.#counts.received++;
    const fail = (why: string, error?: unknown) => {
      this.#refused(why);
      logger.error({ err: error, association: this.#id, sopInstanceUid, reason: why }, 'DICOM object refused');
      response.setStatus(STATUS_OUT_OF_RESOURCES);
      response.setErrorComment(why.slice(0, 64));
      return response;
    };
    if (!pending || this.#id === null) return fail('no data set arrived');
    if (pending.object.tooLarge) return fail(`larger than ${this.#receiver.maxObjectBytes} bytes`);
    if (!/^[0-9.]{1,64}$/.test(sopInstanceUid)) return fail('no valid SOP instance UID');
    const { bytes, sha256 } = pending.object.contents();
    const transferSyntaxUid = pending.context.getAcceptedTransferSyntaxUid() ?? '';
    const receipt = { associationId: this.#id, callingAe: this.#callingAe, address: this.#address, sopClassUid, sopInstanceUid, transferSyntaxUid, sha256, size: pending.object.size };
    let placed: string | null = null;
    try {
      // The same SOP instance again is a duplicate. With the same bytes it is not passed on again
      // (a sender retrying after a lost answer); with other bytes (another transfer syntax, or a
      // first copy that could not be read) it is, and the watcher decides as for any duplicate.
      const before = await store.dicom.receivedBefore(sopInstanceUid, sha256);
      if (before.sameBytes) {
        await store.dicom.record({ ...receipt, inboxPath: null, duplicate: true });
      } else {
        const header = part10Header({ sopClassUid, sopInstanceUid, transferSyntaxUid, sourceAeTitle: this.#callingAe });
        placed = await writeIntoInbox(this.#folder, `${sopInstanceUid}.dcm`, header, bytes, this.#receiver.modes);
        await store.dicom.record({ ...receipt, inboxPath: relative(this.#receiver.inbox, placed), duplicate: before.instance });
      }
      if (before.instance) {
        this.#counts.duplicates++;
        logger.info({ association: this.#id, sopInstanceUid, passedOn: placed !== null }, 'DICOM object received again: a duplicate, answered Success');
      } else this.#counts.stored++;
    } catch (error) {
      // not recorded: not answered Success, so the sender sends it again; a file already in the inbox goes
      if (placed !== null) await unlink(placed).catch(() => undefined);
      return fail(`could not be stored: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, error);
    }
    response.setStatus(Status.Success);
    return response;
  }

  #refused(why: string): void {
    this.#counts.refused++;
    this.#counts.refusals[why] = (this.#counts.refusals[why] ?? 0) + 1;
  }

  /** Ends the association's record once: how it ended, and what it brought. */
  async #end(outcome: 'released' | 'aborted', reason: string | null): Promise<void> {
    if (this.#ended || !this.#admitted) return;
    this.#ended = true;
    this.#receiver.leave();
    const id = this.#id;
    if (id === null) return;
    const counts = { ...this.#counts };
    this.#receiver.logger.info({ association: id, callingAe: this.#callingAe, address: this.#address, outcome, reason: reason ?? undefined, received: counts.received, stored: counts.stored, duplicates: counts.duplicates, refused: counts.refused, refusals: counts.refusals }, 'DICOM association ended');
    await this.#receiver.track(this.#receiver.store.dicom.associationEnded(id, outcome, reason, counts)).catch((error: unknown) => this.#receiver.logger.error({ err: error, association: id }, 'the end of a DICOM association could not be recorded'));
  }
}

/** `::ffff:10.0.0.1` (an IPv4 caller on an IPv6 socket) as `10.0.0.1`. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
