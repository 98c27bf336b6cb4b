import type { Code } from './coding.ts';
import {
  codeSequence, contentDateTime, ENCAPSULATED_PDF_STORAGE, patientAndStudy, predecessorDocuments, writerEquipment, INSTANCE_CREATOR_UID, type NaturalDataset, type ResultToSend,
} from './write-result-modules.ts';

/** The document's kind: DICOM CID 7000 (Diagnostic Imaging Report Document Titles), LOINC. */
export const DIAGNOSTIC_IMAGING_REPORT: Code = { value: '18748-4', scheme: 'LN', meaning: 'Diagnostic Imaging Report' };

/** The series number of the letters this service sends (the SR series is 9200 + version). */
export const PDF_SERIES_NUMBER_BASE = 9100;

/**
 * A released letter as an Encapsulated PDF (PS3.3 A.45.1; SOP class 1.2.840.10008.5.1.4.1.1.104.1)
 * in the study it reports on: patient and study copied, a series of its own (Modality DOC).
 *
 * The document is the letter's exact bytes. DICOM values have even lengths, so a PDF of odd
 * length gets one trailing NUL in Encapsulated Document (0042,0011) (PS3.5 6.2, OB padding);
 * Encapsulated Document Length (0042,0015) holds the length without it, so a receiver takes
 * that many bytes and has the letter byte for byte. An amended version references the earlier
 * versions' documents in Predecessor Documents Sequence (0040,A360).
 */
export function writeEncapsulatedPdf(result: ResultToSend, pdf: Uint8Array, title: string): NaturalDataset {
  const padded = new Uint8Array(pdf.length + (pdf.length % 2));
  padded.set(pdf);
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: ENCAPSULATED_PDF_STORAGE,
    SOPInstanceUID: result.uids.pdfInstance,
    InstanceCreatorUID: INSTANCE_CREATOR_UID,
    ...patientAndStudy(result.assessed),
    // Encapsulated Document Series
    Modality: 'DOC',
    SeriesInstanceUID: result.uids.pdfSeries,
    SeriesNumber: String(PDF_SERIES_NUMBER_BASE + result.version),
    SeriesDescription: `dexa-report letter v${result.version}`,
    // General Equipment and SC Equipment: a workstation wrote it
    ...writerEquipment(),
    ConversionType: 'WSD',
    // Encapsulated Document
    InstanceNumber: '1',
    ...contentDateTime(result.releasedAt),
    AcquisitionDateTime: '',
    BurnedInAnnotation: 'YES',
    DocumentTitle: title,
    ConceptNameCodeSequence: codeSequence(DIAGNOSTIC_IMAGING_REPORT),
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    ...predecessorDocuments(result.predecessors, 'pdf'),
    EncapsulatedDocument: [padded.buffer],
    EncapsulatedDocumentLength: pdf.length,
    _vrMap: { EncapsulatedDocument: 'OB' },
  };
}
