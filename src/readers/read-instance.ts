import { parseDicomBytes } from '../dicom/parse-bytes.ts';
import { Tag } from '../dicom/tags.ts';
import { textReaderFor } from '../dicom/text.ts';
import { INSTANCE_CREATOR_UID } from '../dicom/own-uids.ts';
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
export interface ReadOptions {
  /** read an object this service wrote as any other (to check what was sent); intake never does */
  ownResults?: 'refuse' | 'read';
}

export function readInstance(bytes: Uint8Array, file: string, limits: ReadLimits = DEFAULT_READ_LIMITS, options: ReadOptions = {}): InstanceExtraction {
  const dataSet = parseDicomBytes(bytes, limits);
  const text = textReaderFor(dataSet, limits);
  // a result this service sent to PACS, routed back with the study: reading it would merge our
  // own values into the study as if a scanner had measured them, and release it again
  if (options.ownResults !== 'read' && text.string(dataSet, Tag.InstanceCreatorUID) === INSTANCE_CREATOR_UID) {
    throw new ReadError(ProblemCode.OWN_RESULT, 'a result this service sent (its Instance Creator UID is ours), not an export to read');
  }
  const cut = cutBeforeContent(dataSet, text);
  if (cut !== null) throw new ReadError(ProblemCode.TRUNCATED, `the file is truncated: ${cut}, at byte ${bytes.length}`);
  const object = openDicomObject(dataSet, text, limits);
  const reader = recogniseReader(object);
  const findings = reader.read(object);
  return instanceExtraction(reader.id, object.header(), findings, file);
}
