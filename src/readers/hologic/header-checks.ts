import type { Study } from '../../model/study.ts';
import type { Header } from '../dicom-header.ts';
import type { CalendarDate, HologicPatient, HologicScan } from './hologic-sections.ts';
import { HologicObjectError, HologicObjectFault } from './hologic-object-error.ts';

/**
 * The DICOM header stays the source of identity; the blob must agree with it. Patient ID, birth
 * date and scan date are compared when both sides carry them; a difference names both values.
 */
export function checkBlobAgainstHeader(header: Header, patient: HologicPatient, scan: HologicScan): void {
  const mismatch = (what: string, inHeader: string, inBlob: string): HologicObjectError =>
    new HologicObjectError(HologicObjectFault.HEADER_MISMATCH, `the header's ${what} is ${JSON.stringify(inHeader)} but the blob's is ${JSON.stringify(inBlob)}`);
  const headerId = header.patient.id;
  if (headerId !== null && patient.patientId !== null && headerId !== patient.patientId) throw mismatch('patient ID', headerId, patient.patientId);
  const birthDate = isoDate(patient.birthDate);
  if (header.patient.birthDate !== null && header.patient.birthDate !== birthDate) throw mismatch('birth date', header.patient.birthDate, birthDate);
  // A dual hip's two scans are both of the study's day.
  for (const date of [scan.date, ...(scan.second ? [scan.second.date] : [])]) {
    const scanDate = isoDate(date);
    if (header.study.studyDate !== null && header.study.studyDate !== scanDate) throw mismatch('study date', header.study.studyDate, scanDate);
  }
}

export type Scanner = Pick<Study, 'manufacturer' | 'model' | 'deviceSerialNumber' | 'softwareVersion'>;

/**
 * The scanner from the header, each value the blob's ScanInfo gives where the header has none.
 * The header's model may carry the serial as APEX writes it (`Horizon Ci (S/N 301234M)`) and its
 * software an `APEX ` prefix; a value both give differently is an error.
 */
export function scannerOf(study: Study, scan: HologicScan): Scanner {
  const headerModel = splitModel(study.model);
  const mismatch = (what: string, inHeader: string, inBlob: string): HologicObjectError =>
    new HologicObjectError(HologicObjectFault.SCANNER_MISMATCH, `the header's ${what} is ${JSON.stringify(inHeader)} but the blob's ScanInfo gives ${JSON.stringify(inBlob)}`);
  if (headerModel.name !== null && headerModel.name.toLowerCase() !== scan.model.name.toLowerCase()) throw mismatch('scanner model', headerModel.name, scan.model.name);
  const serial = study.deviceSerialNumber ?? headerModel.serial;
  if (serial !== null && serial !== scan.model.serialNumber) throw mismatch('serial number', serial, scan.model.serialNumber);
  const versions = (study.softwareVersion ?? '').split(' / ').map((version) => version.replace(/^APEX\s+/i, '').trim()).filter(Boolean);
  if (study.softwareVersion !== null && !versions.includes(scan.softwareVersion)) throw mismatch('software version', study.softwareVersion, scan.softwareVersion);
  return {
    manufacturer: study.manufacturer,
    model: headerModel.name ?? scan.model.name,
    deviceSerialNumber: serial ?? scan.model.serialNumber,
    softwareVersion: study.softwareVersion ?? scan.softwareVersion,
  };
}

function splitModel(model: string | null): { name: string | null; serial: string | null } {
  if (model === null) return { name: null, serial: null };
  const match = /^(.+?)\s*\(S\/N\s*([^)\s][^)]*)\)$/.exec(model.trim());
  return match?.[1] && match[2] ? { name: match[1], serial: match[2].trim() } : { name: model, serial: null };
}

export function isoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
