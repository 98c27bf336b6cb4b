import { uidFor } from '../../src/fixtures/deterministic.ts';
import { code, tinyGreyPage, writeDicomFile } from '../../src/fixtures/write-dicom.ts';
import { SopClass } from '../../src/dicom/tags.ts';

/** A small but complete CT image: a DICOM file that is not a structured report. */
export function ctImage(): Uint8Array {
  return writeDicomFile({
    SOPClassUID: SopClass.CTImage,
    SOPInstanceUID: uidFor('test/ct/instance'),
    StudyInstanceUID: uidFor('test/ct/study'),
    SeriesInstanceUID: uidFor('test/ct/series'),
    Modality: 'CT',
    PatientName: 'Test^CT',
    PatientID: 'CT0001',
    Rows: 4,
    Columns: 4,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelData: [new Uint16Array(16).fill(1000).buffer],
    _vrMap: { PixelData: 'OW' },
  });
}

/** A radiology text report as Basic Text SR: a structured report, but not a DXA report. */
export function textReportSr(): Uint8Array {
  return writeDicomFile({
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SopClass.BasicTextSR,
    SOPInstanceUID: uidFor('test/text-sr/instance'),
    StudyInstanceUID: uidFor('test/text-sr/study'),
    SeriesInstanceUID: uidFor('test/text-sr/series'),
    Modality: 'SR',
    PatientID: 'TXT0001',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      { RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: code('121071', 'DCM', 'Finding'), TextValue: 'Geen bijzonderheden.' },
    ],
  });
}

/**
 * A Secondary Capture report image from a Hologic scanner (Modality BD) without any HOLOGIC
 * private block: not the APEX report the Hologic reader recognises, so no reader reads it.
 */
export function hologicSecondaryCapture(): Uint8Array {
  return writeDicomFile({
    SOPClassUID: SopClass.SecondaryCapture,
    SOPInstanceUID: uidFor('test/hologic-sc/instance'),
    StudyInstanceUID: uidFor('test/hologic-sc/study'),
    SeriesInstanceUID: uidFor('test/hologic-sc/series'),
    Modality: 'BD',
    Manufacturer: 'HOLOGIC',
    ManufacturerModelName: 'Horizon Ci',
    PatientName: 'Test^Hologic',
    PatientID: 'HOL0001',
    ConversionType: 'WSD',
    ...tinyGreyPage(),
  });
}
