import type { DicomDataSet } from '../dicom/data-set.ts';
import { dicomDateToIso } from '../dicom/dates.ts';
import { Tag } from '../dicom/tags.ts';
import type { TextReader } from '../dicom/text.ts';
import { ProblemCode, ReadError, type Problem } from '../model/problems.ts';
import { quoteInput } from '../model/quote-input.ts';
import type { Patient, PersonName, Study } from '../model/study.ts';

export interface Header {
  patient: Patient;
  study: Study;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string | null;
  instanceNumber: number | null;
  imageComments: string | null;
  warnings: Problem[];
}

/** Patient and study identification from the DICOM header, the same for every vendor. */
export function readHeader(dataSet: DicomDataSet, text: TextReader): Header {
  const warnings: Problem[] = [];
  const uid = (tag: string, name: string): string => {
    const value = text.string(dataSet, tag);
    if (!value || !/^[0-9]+(\.[0-9]+)*$/.test(value) || value.length > 64) {
      throw new ReadError(ProblemCode.MISSING_UID, `${name} is ${value ? `not a valid UID (${quoteInput(value)})` : 'missing'}`);
    }
    return value;
  };
  const date = (tag: string, name: string): string | null => {
    const raw = text.string(dataSet, tag);
    const iso = dicomDateToIso(raw);
    if (raw !== null && iso === null) {
      warnings.push({ code: ProblemCode.INVALID_DATE, message: `${name} ${quoteInput(raw)} is not a valid date` });
    }
    return iso;
  };
  if (!text.knownCharacterSet) {
    warnings.push({
      code: ProblemCode.UNKNOWN_CHARACTER_SET,
      message: `character set ${quoteInput(text.characterSet)} is not supported; text was read as Latin-1`,
    });
  }

  const sopClassUid = uid(Tag.SOPClassUID, 'SOPClassUID');
  const instanceNumber = Number.parseInt(text.string(dataSet, Tag.InstanceNumber) ?? '', 10);
  return {
    sopClassUid,
    sopInstanceUid: uid(Tag.SOPInstanceUID, 'SOPInstanceUID'),
    seriesInstanceUid: text.string(dataSet, Tag.SeriesInstanceUID),
    instanceNumber: Number.isFinite(instanceNumber) ? instanceNumber : null,
    imageComments: text.text(dataSet, Tag.ImageComments),
    patient: {
      id: text.string(dataSet, Tag.PatientID),
      issuer: text.string(dataSet, Tag.IssuerOfPatientID),
      name: parsePersonName(text.string(dataSet, Tag.PatientName)),
      birthDate: date(Tag.PatientBirthDate, 'PatientBirthDate'),
      sex: parseSex(text.string(dataSet, Tag.PatientSex)),
      address: text.string(dataSet, Tag.PatientAddress),
    },
    study: {
      studyInstanceUid: uid(Tag.StudyInstanceUID, 'StudyInstanceUID'),
      studyDate: date(Tag.StudyDate, 'StudyDate') ?? date(Tag.ContentDate, 'ContentDate'),
      accessionNumber: text.string(dataSet, Tag.AccessionNumber),
      description: text.string(dataSet, Tag.StudyDescription),
      institution: text.string(dataSet, Tag.InstitutionName),
      manufacturer: text.string(dataSet, Tag.Manufacturer),
      model: text.string(dataSet, Tag.ManufacturerModelName),
      deviceSerialNumber: text.string(dataSet, Tag.DeviceSerialNumber),
      softwareVersion: text.strings(dataSet, Tag.SoftwareVersions).filter(Boolean).join(' / ') || null,
      referenceDatabase: null,
      vendorCategory: null,
      referringPhysician: parsePersonName(text.string(dataSet, Tag.ReferringPhysicianName)),
    },
    warnings,
  };
}

/** `Family^Given^Middle^Prefix^Suffix`, alphabetic group only (before any `=`). */
export function parsePersonName(value: string | null): PersonName | null {
  if (value === null) return null;
  const alphabetic = value.split('=')[0] ?? '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^').map((part) => part.trim());
  if (!family && !given) return null;
  return { family, given, middle, prefix, suffix };
}

function parseSex(value: string | null): Patient['sex'] {
  if (value === null) return null;
  switch (value.toUpperCase()) {
    case 'F':
      return 'female';
    case 'M':
      return 'male';
    case 'O':
      return 'other';
    default:
      return null;
  }
}
