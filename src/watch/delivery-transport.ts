import type { Destination, DicomDestination, FhirDestination, FolderDestination, Hl7Destination, Language } from '../config/config-schema.ts';
import type { FileModes } from '../config/file-modes.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { deliverToFolder, type DeliveryPayload } from './folder-transport.ts';
import { readReleasedLetter, resultInputOf, type ResultSetup } from './release-result.ts';

/** One released version on its way to one destination: what any transport may need of it. */
export interface Release {
  payload: DeliveryPayload;
  /** the version's assessed study, as stored with it */
  assessed: AssessedStudy;
  /** earlier versions of the study this destination received */
  sentBefore: number[];
  /** when the version was released (the same on every try) */
  releasedAt: Date;
}

/** Delivers a release to one kind of destination; says where it went. Throws when it did not, and the outbox tries again. */
export interface DeliveryTransport<D extends Destination> {
  deliver(destination: D, release: Release): Promise<string>;
}

export type DestinationKind = NonNullable<Destination['kind']>;

/** A destination's kind: a folder when it names none. */
export function kindOf(destination: Destination): DestinationKind {
  return destination.kind ?? 'folder';
}

/** Every kind of destination with its transport. */
export interface Transports {
  folder: DeliveryTransport<FolderDestination>;
  dicom: DeliveryTransport<DicomDestination>;
  hl7: DeliveryTransport<Hl7Destination>;
  fhir: DeliveryTransport<FhirDestination>;
}

/**
 * `setup`: the configuration and letter templates the HL7 and FHIR results are made with. Each
 * network transport is loaded on its first delivery: a department that delivers to folders only
 * never loads the DICOM, HL7 and FHIR libraries.
 */
export function defaultTransports(options: { modes: FileModes; observer: string; language: Language; setup: ResultSetup }): Transports {
  return {
    folder: { deliver: (destination, release) => deliverToFolder(destination.folder, release.payload, options.modes) },
    dicom: {
      async deliver(destination, release) {
        const letter = release.payload.letters.find((l) => l.kind === 'gp');
        if (letter === undefined) throw new Error(`study ${release.payload.study.studyInstanceUid} version ${release.payload.study.version} has no GP letter to send`);
        const gpLetter = await readReleasedLetter(letter);
        const { sendResultsToPacs } = await import('../network/pacs-transport.ts');
        return sendResultsToPacs(destination, destination.name, {
          assessed: release.assessed,
          version: release.payload.study.version,
          gpLetter,
          sentBefore: release.sentBefore,
          releasedAt: release.releasedAt,
          observer: options.observer,
          language: options.language,
        });
      },
    },
    hl7: {
      async deliver(destination, release) {
        const { deliverOverHl7 } = await import('../network/hl7-transport.ts');
        return deliverOverHl7(destination, await resultInputOf(release, options.setup, destination.embed), release.releasedAt);
      },
    },
    fhir: {
      async deliver(destination, release) {
        const { deliverOverFhir } = await import('../network/fhir-transport.ts');
        return deliverOverFhir(destination, await resultInputOf(release, options.setup), release.releasedAt);
      },
    },
  };
}

/** Hands the release to the transport of the destination's kind (a new kind does not compile until it has one). */
export function deliverTo(transports: Transports, destination: Destination, release: Release): Promise<string> {
  switch (destination.kind) {
    case undefined:
    case 'folder':
      return transports.folder.deliver(destination, release);
    case 'dicom':
      return transports.dicom.deliver(destination, release);
    case 'hl7':
      return transports.hl7.deliver(destination, release);
    case 'fhir':
      return transports.fhir.deliver(destination, release);
    default:
      return unknownKind(destination);
  }
}

function unknownKind(destination: never): never {
  throw new Error(`no transport for destination ${JSON.stringify(destination)}`);
}
