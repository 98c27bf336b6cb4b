import type { DicomDataSet } from '../dicom/data-set.ts';
import { readSrTree, type SrNode } from '../dicom/sr-tree.ts';
import { SR_SOP_CLASSES, Tag } from '../dicom/tags.ts';
import type { TextReader } from '../dicom/text.ts';
import type { ReadLimits } from '../dicom/read-limits.ts';
import { ReadError } from '../model/problems.ts';
import { readHeader, type Header } from './dicom-header.ts';
import type { DicomObject } from './reader.ts';

/**
 * A parsed data set opened for the readers. The SOP class is read at once (a value that cannot
 * be read fails the file, as before any reader looked); the rest is read on demand, once.
 */
export function openDicomObject(dataSet: DicomDataSet, text: TextReader, limits: ReadLimits): DicomObject {
  const sopClassUid = text.string(dataSet, Tag.SOPClassUID);
  const isStructuredReport = sopClassUid !== null && SR_SOP_CLASSES.has(sopClassUid);
  let header: Header | undefined;
  let report: { header: Header; root: SrNode } | null | undefined;
  const object: DicomObject = {
    dataSet,
    text,
    sopClassUid,
    isStructuredReport,
    modality: () => optionalString(dataSet, text, Tag.Modality),
    manufacturer: () => optionalString(dataSet, text, Tag.Manufacturer),
    header() {
      header ??= readHeader(dataSet, text);
      return header;
    },
    structuredReport() {
      if (report === undefined) {
        report = isStructuredReport ? { header: object.header(), root: readSrTree(dataSet, text, limits.maxSrDepth) } : null;
      }
      return report;
    },
  };
  return object;
}

/** A value used only to recognise or describe an object: one that cannot be read counts as absent. */
function optionalString(dataSet: DicomDataSet, text: TextReader, tag: string): string | null {
  try {
    return text.string(dataSet, tag);
  } catch (error) {
    if (error instanceof ReadError) return null;
    throw error;
  }
}
