import type { DicomDataSet } from './data-set.ts';
import type { CodedConcept } from './coding.ts';
import { ProblemCode, ReadError } from '../model/problems.ts';
import { DEFAULT_READ_LIMITS } from './read-limits.ts';
import { Tag } from './tags.ts';
import type { TextReader } from './text.ts';

export type { CodedConcept };

export interface SrNode {
  valueType: string;
  relationship: string | null;
  concept: CodedConcept | null;
  /** TEXT items */
  text: string | null;
  /** NUM items: the DS string as written, and its unit */
  numeric: { raw: string; unit: CodedConcept | null } | null;
  /** CODE items */
  code: CodedConcept | null;
  children: SrNode[];
}

/**
 * The document root and its content tree, with every sequence turned into plain arrays. The
 * depth limit is far beyond any real report; it guards against a crafted file recursing without end.
 */
export function readSrTree(dataSet: DicomDataSet, text: TextReader, maxDepth = DEFAULT_READ_LIMITS.maxSrDepth): SrNode {
  return readNode(dataSet, text, 0, maxDepth);
}

function readNode(item: DicomDataSet, text: TextReader, depth: number, maxDepth: number): SrNode {
  if (depth > maxDepth) throw new ReadError(ProblemCode.LIMIT_EXCEEDED, `the SR content tree is nested deeper than ${maxDepth} levels`);
  const measured = firstItem(item, Tag.MeasuredValueSequence);
  const raw = measured ? text.string(measured, Tag.NumericValue) : null;
  return {
    valueType: text.string(item, Tag.ValueType) ?? '',
    relationship: text.string(item, Tag.RelationshipType),
    concept: readCode(firstItem(item, Tag.ConceptNameCodeSequence), text),
    text: text.text(item, Tag.TextValue),
    numeric:
      raw === null ? null : { raw, unit: readCode(firstItem(measured ?? item, Tag.MeasurementUnitsCodeSequence), text) },
    code: readCode(firstItem(item, Tag.ConceptCodeSequence), text),
    children: readChildren(item, text, depth, maxDepth),
  };
}

function readChildren(item: DicomDataSet, text: TextReader, depth: number, maxDepth: number): SrNode[] {
  const children: SrNode[] = [];
  const sequence = item.elements[Tag.ContentSequence]?.items;
  if (sequence === undefined) return children;
  for (const element of sequence) {
    if (element.dataSet) children.push(readNode(element.dataSet, text, depth + 1, maxDepth));
  }
  return children;
}

export function readCode(item: DicomDataSet | undefined, text: TextReader): CodedConcept | null {
  if (!item) return null;
  return {
    value: text.string(item, Tag.CodeValue) ?? text.string(item, Tag.LongCodeValue) ?? '',
    scheme: text.string(item, Tag.CodingSchemeDesignator) ?? '',
    meaning: text.string(item, Tag.CodeMeaning) ?? '',
  };
}

export function firstItem(dataSet: DicomDataSet, tag: string): DicomDataSet | undefined {
  const sequence = dataSet.elements[tag]?.items;
  if (sequence === undefined) return undefined;
  for (const element of sequence) if (element.dataSet) return element.dataSet;
  return undefined;
}
