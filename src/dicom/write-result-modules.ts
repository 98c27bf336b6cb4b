import dcmjs from 'dcmjs';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { PersonName } from '../model/study.ts';
import type { Code } from './coding.ts';
import { derivedUid, IMPLEMENTATION } from './own-uids.ts';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

/** A data set in dcmjs's naturalized form (attribute keywords as keys), as the writers below make them. */
export type NaturalDataset = Record<string, unknown>;

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const ENCAPSULATED_PDF_STORAGE = '1.2.840.10008.5.1.4.1.1.104.1';
export const COMPREHENSIVE_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.33';

export { derivedUid, IMPLEMENTATION, INSTANCE_CREATOR_UID } from './own-uids.ts';

/** The UIDs of what one released version sends to one destination: two series (PDF and SR), one instance each. */
export interface SentUids {
  studyInstanceUid: string;
  pdfSeries: string;
  pdfInstance: string;
  srSeries: string;
  srInstance: string;
}

/**
 * Derived from the study, the version and the destination, never drawn at random: a send tried
 * again after an unknown outcome carries the same SOP Instance UIDs, which a PACS takes as the
 * same objects, and an amended version can name what the earlier versions sent without the store
 * keeping any UID.
 */
export function sentUids(studyInstanceUid: string, version: number, destination: string): SentUids {
  const name = (part: string) => derivedUid(`dexa-report/sent/${studyInstanceUid}/v${version}/${destination}/${part}`);
  return { studyInstanceUid, pdfSeries: name('pdf-series'), pdfInstance: name('pdf'), srSeries: name('sr-series'), srInstance: name('sr') };
}

/** A released version as the writers take it: the assessed study, its version and what it amends. */
export interface ResultToSend {
  assessed: AssessedStudy;
  version: number;
  uids: SentUids;
  /** what earlier versions sent to the same destination, oldest first: an amended version references them */
  predecessors: readonly SentUids[];
  /** when the version was released: the content date and time, the same on every try */
  releasedAt: Date;
}

/**
 * The Patient and General Study modules, copied from the study so the results land in it: the
 * same StudyInstanceUID, patient, accession number and referring physician.
 */
export function patientAndStudy(assessed: AssessedStudy): NaturalDataset {
  const { patient, study } = assessed;
  return {
    PatientName: patient.name ? personName(patient.name) : '',
    PatientID: patient.id ?? '',
    ...(patient.issuer ? { IssuerOfPatientID: patient.issuer } : {}),
    PatientBirthDate: patient.birthDate ? dicomDate(patient.birthDate) : '',
    PatientSex: patient.sex === 'female' ? 'F' : patient.sex === 'male' ? 'M' : patient.sex === 'other' ? 'O' : '',
    StudyInstanceUID: study.studyInstanceUid,
    StudyDate: study.studyDate ? dicomDate(study.studyDate) : '',
    StudyTime: '',
    StudyID: '',
    AccessionNumber: study.accessionNumber ?? '',
    ReferringPhysicianName: study.referringPhysician ? personName(study.referringPhysician) : '',
    ...(study.description ? { StudyDescription: study.description } : {}),
  };
}

/** The General Equipment module of a document this service makes (the letter: this service wrote it). */
export function writerEquipment(): NaturalDataset {
  return { Manufacturer: 'dexa-report', ManufacturerModelName: 'dexa-report', SoftwareVersions: IMPLEMENTATION.versionName };
}

/** The General Equipment module of the device that measured (the profile SR names it, docs/dxa-sr-profile.md 3.2). */
export function scannerEquipment(assessed: AssessedStudy): NaturalDataset {
  const { study } = assessed;
  return { Manufacturer: study.manufacturer ?? '', ManufacturerModelName: study.model ?? '', DeviceSerialNumber: study.deviceSerialNumber ?? '', SoftwareVersions: study.softwareVersion ?? '' };
}

/** ContentDate, ContentTime and the offset they are in: the release, in the service's local time. */
export function contentDateTime(at: Date): NaturalDataset {
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -at.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  return {
    ContentDate: `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}`,
    ContentTime: `${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`,
    TimezoneOffsetFromUTC: `${sign}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`,
  };
}

/** (0040,A360) Predecessor Documents Sequence: the earlier versions' instances of one series kind, as hierarchical references. */
export function predecessorDocuments(predecessors: readonly SentUids[], which: 'pdf' | 'sr'): NaturalDataset {
  if (predecessors.length === 0) return {};
  return {
    PredecessorDocumentsSequence: predecessors.map((earlier) => ({
      StudyInstanceUID: earlier.studyInstanceUid,
      ReferencedSeriesSequence: [
        {
          SeriesInstanceUID: which === 'pdf' ? earlier.pdfSeries : earlier.srSeries,
          ReferencedSOPSequence: [
            {
              ReferencedSOPClassUID: which === 'pdf' ? ENCAPSULATED_PDF_STORAGE : COMPREHENSIVE_SR_STORAGE,
              ReferencedSOPInstanceUID: which === 'pdf' ? earlier.pdfInstance : earlier.srInstance,
            },
          ],
        },
      ],
    })),
  };
}

export function codeSequence(code: Code): NaturalDataset[] {
  return [{ CodeValue: code.value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning }];
}

/** `YYYY-MM-DD` → DICOM DA. */
export function dicomDate(iso: string): string {
  return iso.replaceAll('-', '');
}

/** A person name as DICOM PN: family^given^middle^prefix^suffix, empty components at the end left off. */
export function personName(name: PersonName): string {
  const clean = (part: string) => part.replace(/[\\^=]/g, ' ').trim();
  return [name.family, name.given, name.middle, name.prefix, name.suffix].map(clean).join('^').replace(/\^+$/, '');
}

/**
 * A number as a DICOM DS (at most 16 characters, digits with an optional point, no exponent):
 * its shortest form when that fits, else as many decimals as fit.
 */
export function decimalString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} is not a number a DICOM decimal string can hold`);
  const plain = String(value);
  if (plain.length <= 16 && !plain.includes('e')) return plain;
  // never an exponent (docs/dxa-sr-profile.md, "Numbers and units"): fewer decimals until it fits
  for (let decimals = 15; decimals >= 0; decimals--) {
    const text = value.toFixed(decimals);
    if (text.length <= 16 && !text.includes('e')) return text;
  }
  throw new Error(`${value} does not fit a DICOM decimal string`);
}

/** A naturalized data set → a DICOM Part 10 file (Explicit VR Little Endian). */
export function toPart10(dataset: NaturalDataset): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset['SOPClassUID'],
    MediaStorageSOPInstanceUID: dataset['SOPInstanceUID'],
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION.classUid,
    ImplementationVersionName: IMPLEMENTATION.versionName,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
