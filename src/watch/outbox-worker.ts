import type { DepartmentConfig, Language } from '../config/config-schema.ts';
import type { FileModes } from '../config/file-modes.ts';
import type { Delivery } from '../store/deliveries.ts';
import type { StudyStore } from '../store/study-store.ts';
import { recordDelivered } from '../store/study-transitions.ts';
import { defaultTransports, deliverTo, kindOf, type Release, type Transports } from './delivery-transport.ts';
import type { Logger } from './logger.ts';
import type { ResultSetup } from './release-result.ts';

/** The release was committed a moment ago and its letters are being put under their final names. */
class NotYetInPlace extends Error {}
const NOT_IN_PLACE_WAIT_MS = 500;

/** How many deliveries one round takes at most. */
const BATCH = 20;

/**
 * Works through the outbox: takes due deliveries (no other instance gets them), delivers each
 * to its destination, and records the outcome: delivered, or the error with the next try after a
 * back-off that doubles up to its cap, or failed for good after the configured number of tries.
 */
export class OutboxWorker {
  readonly #store: StudyStore;
  readonly #settings: DepartmentConfig['deliveries'];
  readonly #transports: Transports;
  readonly #logger: Logger;

  /**
   * `observer` and `language`: who signs the letters and in which language, for what a PACS gets;
   * `setup`: the configuration and templates HL7 and FHIR results are made with; `transports`:
   * another transport per kind (tests).
   */
  constructor(store: StudyStore, settings: DepartmentConfig['deliveries'], modes: FileModes, logger: Logger, options: { observer: string; language: Language; setup: ResultSetup; transports?: Partial<Transports> }) {
    this.#store = store;
    this.#settings = settings;
    this.#transports = { ...defaultTransports({ modes, observer: options.observer, language: options.language, setup: options.setup }), ...options.transports };
    this.#logger = logger;
    // a token the environment does not hold fails every try to that server: said at once, not only per delivery
    for (const destination of settings.destinations) {
      if (destination.kind === 'fhir' && destination.bearerTokenEnv !== undefined && !process.env[destination.bearerTokenEnv]?.trim()) {
        logger.warn({ destination: destination.name, variable: destination.bearerTokenEnv }, 'the environment variable that should hold the FHIR bearer token is not set; deliveries to this destination will fail until it is');
      }
    }
  }

  /** Delivers what is due now; says how many were tried. */
  async runDue(): Promise<number> {
    let tried = 0;
    for (;;) {
      const due = await this.#store.transaction((tx) => tx.deliveries.claimDue(new Date().toISOString(), BATCH));
      if (due.length === 0) return tried;
      for (const delivery of due) await this.#attempt(delivery);
      tried += due.length;
    }
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const destination = this.#settings.destinations.find((d) => d.name === delivery.destination);
    try {
      if (destination === undefined) throw new Error(`no destination '${delivery.destination}' is configured any more`);
      const where = await deliverTo(this.#transports, destination, await this.#release(delivery));
      await recordDelivered(this.#store, delivery, new Date().toISOString());
      this.#logger.info({ study: delivery.studyRef, version: delivery.version, destination: delivery.destination, kind: kindOf(destination), to: where }, 'delivered');
    } catch (error) {
      if (error instanceof NotYetInPlace) {
        await this.#store.deliveries.postpone(delivery.id, new Date(Date.now() + NOT_IN_PLACE_WAIT_MS).toISOString());
        return;
      }
      const message = (error instanceof Error && error.message) || String(error);
      const attempts = delivery.attempts + 1;
      const next = attempts >= this.#settings.maxAttempts ? null : new Date(Date.now() + this.#backoffMs(attempts)).toISOString();
      await this.#store.deliveries.attemptFailed(delivery.id, message, next);
      if (next === null) this.#logger.error({ study: delivery.studyRef, version: delivery.version, destination: delivery.destination, attempts, err: error }, 'delivery failed for good');
      else this.#logger.warn({ study: delivery.studyRef, version: delivery.version, destination: delivery.destination, attempts, next, err: error }, 'delivery failed; will retry');
    }
  }

  /** The wait after the `attempts`-th failed try: the first wait, doubled each time, at most the cap. */
  #backoffMs(attempts: number): number {
    const { firstRetrySeconds, maxRetrySeconds } = this.#settings;
    return Math.min(maxRetrySeconds, firstRetrySeconds * 2 ** (attempts - 1)) * 1000;
  }

  async #release(delivery: Delivery): Promise<Release> {
    const study = await this.#store.studies.byId(delivery.studyRef);
    if (study === null) throw new Error(`study ${delivery.studyRef} is gone from the store`);
    const result = await this.#store.studies.storedResult(study, delivery.version);
    if (result === null) throw new Error(`study ${study.studyUid} has no stored version ${delivery.version}`);
    const ofVersion = (await this.#store.letters.ofStudy(study.id)).filter((letter) => letter.version === delivery.version);
    if (ofVersion.some((letter) => !letter.inPlace)) throw new NotYetInPlace();
    const letters = ofVersion.filter((letter) => letter.sha256 !== null);
    if (letters.length === 0) throw new Error(`study ${study.studyUid} version ${delivery.version} has no letters`);
    const c = result.classification;
    const payload = {
      deliveryId: delivery.id,
      destination: delivery.destination,
      study: { studyInstanceUid: study.studyUid, accessionNumber: study.accession, studyDate: study.studyDate, version: delivery.version, state: study.version === delivery.version ? study.state : 'superseded' },
      patient: { id: result.patient.id, issuer: result.patient.issuer },
      classification: { category: c.category, path: c.path, indexRegion: c.indexRegion, indexSide: c.indexSide, indexScore: c.indexScore },
      letters: letters.map((letter) => ({ kind: letter.kind, path: letter.path, sha256: letter.sha256 ?? '' })),
    };
    const sentBefore = (await this.#store.deliveries.ofStudy(study.id))
      .filter((earlier) => earlier.destination === delivery.destination && earlier.version < delivery.version && earlier.state === 'delivered')
      .map((earlier) => earlier.version);
    return { payload, assessed: result, sentBefore, releasedAt: new Date(delivery.createdAt) };
  }
}
