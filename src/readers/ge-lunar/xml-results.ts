import { geXmlParser } from './ge-xml-parser.ts';
import { ProblemCode, ReadError } from '../../model/problems.ts';
import { quoteInput } from '../../model/quote-input.ts';
import type { GeRoiRecord } from './roi-record.ts';
import { GE_RESULT_NAMES } from './vocabulary.ts';
import { xmlWellFormedFault } from './xml-well-formed.ts';

export type GeXmlCopy =
  | { format: 'dxa_results'; rois: GeRoiRecord[] }
  | { format: 'densitometry_results'; text: string }
  | { format: 'none' };

const parser = geXmlParser((name) => name === 'SCAN' || name === 'ROI');

type XmlNode = Record<string, unknown>;

/**
 * The `<DXA_RESULTS>` copy of the results that enCORE writes into ImageComments (0020,4000).
 * The older `<DENSITOMETRY_RESULTS>` layout is only recognised here; densitometry-results.ts reads it
 * when the SR tree holds no results.
 */
export function readGeXmlCopy(imageComments: string | null): GeXmlCopy {
  if (imageComments === null) return { format: 'none' };
  if (imageComments.includes('<DENSITOMETRY_RESULTS')) return { format: 'densitometry_results', text: imageComments };
  if (!imageComments.includes('<DXA_RESULTS')) {
    // XML that is neither copy is a damaged copy, not an export without one: the cross-check must not be skipped silently
    if (imageComments.trimStart().startsWith('<')) {
      throw new ReadError(ProblemCode.XML_UNREADABLE, 'ImageComments holds XML that is not a <DXA_RESULTS> or <DENSITOMETRY_RESULTS> copy');
    }
    return { format: 'none' };
  }

  if (/<!DOCTYPE|<!ENTITY/i.test(imageComments)) {
    throw new ReadError(ProblemCode.XML_UNREADABLE, 'the <DXA_RESULTS> copy in ImageComments declares a DTD or entities, which enCORE never writes');
  }
  // well-formedness is checked here rather than by fast-xml-parser's validator; every value it
  // then reads is compared with the SR's by the cross-check
  const fault = xmlWellFormedFault(imageComments);
  if (fault !== null) throw new ReadError(ProblemCode.XML_UNREADABLE, `the <DXA_RESULTS> copy in ImageComments is not valid XML: ${fault}`);
  let document: XmlNode;
  try {
    document = parser.parse(imageComments) as XmlNode;
  } catch (error) {
    const reason = error instanceof Error ? quoteInput(error.message.split('\n')[0] ?? '') : 'an unknown XML error';
    throw new ReadError(ProblemCode.XML_UNREADABLE, `the <DXA_RESULTS> copy in ImageComments is not valid XML: ${reason}`);
  }
  const results = asNode(document['DXA_RESULTS']);
  const rois: GeRoiRecord[] = [];
  for (const scan of asNodes(results['SCAN'])) {
    const scanName = attribute(scan, 'type');
    for (const roi of asNodes(scan['ROI'])) {
      const record: GeRoiRecord = { scan: scanName, roi: attribute(roi, 'region'), values: {}, units: {} };
      for (const name of GE_RESULT_NAMES) {
        const element = roi[name];
        if (element === undefined) continue;
        record.values[name] = typeof element === 'object' ? String((element as XmlNode)['#text'] ?? '') : String(element);
        const unit = typeof element === 'object' ? (element as XmlNode)['@units'] : undefined;
        if (typeof unit === 'string' && unit.trim()) record.units[name] = unit.trim();
      }
      rois.push(record);
    }
  }
  return { format: 'dxa_results', rois };
}

function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

function asNodes(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.map(asNode) : [];
}

function attribute(node: XmlNode, name: string): string {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : '';
}
