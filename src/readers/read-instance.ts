import { parseDicomBytes } from '../dicom/parse-bytes.ts';
import { textReaderFor } from '../dicom/text.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../dicom/read-limits.ts';
import { ProblemCode, ReadError } from '../model/problems.ts';
import type { InstanceExtraction } from '../model/study.ts';
import { openDicomObject } from './dicom-object.ts';
import { cutBeforeContent } from './cut-before-content.ts';
import { instanceExtraction } from './instance-record.ts';
import { recogniseReader } from './reader-registry.ts';

/**
 * Bytes of one file → the extraction of one instance, by the reader of the registry that
 * recognises it. Throws ReadError for anything that no reader reads.
 */
export function readInstance(bytes: Uint8Array, file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): InstanceExtraction {
  const dataSet = parseDicomBytes(bytes, limits);
  const text = textReaderFor(dataSet, limits);
  const cut = cutBeforeContent(dataSet, text);
  if (cut !== null) throw new ReadError(ProblemCode.TRUNCATED, `the file is truncated: ${cut}, at byte ${bytes.length}`);
  const object = openDicomObject(dataSet, text, limits);
  const reader = recogniseReader(object);
  const findings = reader.read(object);
  return instanceExtraction(reader.id, object.header(), findings, file);
}
