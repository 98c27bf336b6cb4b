import { parseDicomBytes } from '../dicom/parse-bytes.ts';
import { readSrTree } from '../dicom/sr-tree.ts';
import { SR_SOP_CLASSES, Tag } from '../dicom/tags.ts';
import { textReaderFor } from '../dicom/text.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../dicom/read-limits.ts';
import { ProblemCode, ReadError } from '../model/problems.ts';
import { quoteInput, shortInput } from '../model/quote-input.ts';
import type { InstanceExtraction } from '../model/study.ts';
import { readHeader } from './dicom-header.ts';
import { endsBeforeContent } from './ends-before-content.ts';
import { isDexaProfileReport, readProfileSr } from './dexa-profile/read-profile-sr.ts';
import { isGeLunarReport, readGeLunarSr } from './ge-lunar/read-ge-lunar-sr.ts';

/**
 * Bytes of one file → the extraction of one instance, by whichever reader recognises it.
 * Throws ReadError for anything that is not a DXA report this service can read.
 */
export function readInstance(bytes: Uint8Array, file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): InstanceExtraction {
  const dataSet = parseDicomBytes(bytes, limits);
  const text = textReaderFor(dataSet, limits);
  if (endsBeforeContent(dataSet, text)) {
    throw new ReadError(ProblemCode.TRUNCATED, `the file is truncated: the structured report ends at byte ${bytes.length}, before its content`);
  }
  const sopClassUid = text.string(dataSet, Tag.SOPClassUID);
  if (sopClassUid === null || !SR_SOP_CLASSES.has(sopClassUid)) {
    const modality = text.string(dataSet, Tag.Modality) ?? 'unknown modality';
    throw new ReadError(
      ProblemCode.NOT_SR,
      `not a structured report: a ${shortInput(modality)} object of SOP class ${sopClassUid === null ? '(none)' : shortInput(sopClassUid)}`,
    );
  }
  const header = readHeader(dataSet, text);
  const root = readSrTree(dataSet, text, limits.maxSrDepth);
  if (isGeLunarReport(root)) return readGeLunarSr(header, root, file);
  if (isDexaProfileReport(root)) return readProfileSr(header, root, file);

  const concept = root.concept
    ? `${quoteInput(root.concept.meaning)} (${shortInput(root.concept.scheme)} ${shortInput(root.concept.value)})`
    : 'no title';
  throw new ReadError(ProblemCode.NOT_DXA_SR, `a structured report with ${concept}, not a DXA report this service can read`);
}
