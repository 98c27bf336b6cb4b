import type { DicomDataSet } from '../dicom/data-set.ts';
import type { SrNode } from '../dicom/sr-tree.ts';
import type { TextReader } from '../dicom/text.ts';
import type { ScannerFrax } from '../model/frax.ts';
import type { Problem } from '../model/problems.ts';
import type { Measurement, ReaderId, ScannerContext, SideDifference, Study, VfaVertebra } from '../model/study.ts';
import type { Header } from './dicom-header.ts';

/**
 * One parsed DICOM object as the readers see it. What it is (SOP class, modality, manufacturer)
 * is at hand at once; the header and the SR content tree are read when a reader first asks, and
 * only once: a reader that does not recognise the object never makes it fail.
 */
export interface DicomObject {
  readonly dataSet: DicomDataSet;
  readonly text: TextReader;
  /** SOPClassUID (0008,0016) as written, or null when absent */
  readonly sopClassUid: string | null;
  /** whether the SOP class is one of the structured report classes */
  readonly isStructuredReport: boolean;
  /** Modality (0008,0060), or null when absent or unreadable */
  modality(): string | null;
  /** Manufacturer (0008,0070), or null when absent or unreadable */
  manufacturer(): string | null;
  /** Patient and study identification; throws ReadError when a UID is missing or invalid. */
  header(): Header;
  /** A structured report's header and content tree, read in that order; null for any other object. */
  structuredReport(): { header: Header; root: SrNode } | null;
}

/** What a reader finds in one object beyond its header. The instance record is built from the header by the registry. */
export interface ReaderFindings {
  measurements: Measurement[];
  sideDifferences: SideDifference[];
  vfa: VfaVertebra[];
  warnings: Problem[];
  /** FRAX as the scanner calculated it, when the export carries it */
  frax?: ScannerFrax;
  /** study values the export carries beyond the header */
  study?: Partial<Pick<Study, 'referenceDatabase' | 'vendorCategory' | 'manufacturer' | 'model' | 'deviceSerialNumber' | 'softwareVersion'>>;
  /** what the export says of the patient's clinical context (Hologic PatInfo), as written */
  scannerContext?: ScannerContext;
}

/**
 * One export format. `recognises` decides from the header and the dataset (never from the
 * Modality alone) whether the object is this reader's; `read` then reads all of it, or throws a
 * ReadError whose code says why the object cannot be used.
 */
export interface Reader<Id extends ReaderId = ReaderId> {
  readonly id: Id;
  /** the export this reader reads, in a few words */
  readonly reads: string;
  recognises(object: DicomObject): boolean;
  read(object: DicomObject): ReaderFindings;
}
