import { ProblemCode, type Problem } from '../../model/problems.ts';
import { quoteInput } from '../../model/quote-input.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { describeRoi, roiKey, type GeRoiRecord } from './roi-record.ts';
import { GE_RESULT_NAMES } from './vocabulary.ts';

/**
 * Compares the SR tree with the XML copy of the same file. A value that differs, an ROI present
 * in only one of them, or a result item present in only one, is an error naming the ROI: a file
 * whose two copies do not hold the same results is incomplete or damaged, and neither copy can be trusted.
 */
export function crossCheckXml(srRois: GeRoiRecord[], xmlRois: GeRoiRecord[]): Problem[] {
  const problems: Problem[] = [];
  const xmlByKey = new Map(xmlRois.map((record) => [roiKey(record), record]));
  const srKeys = new Set(srRois.map(roiKey));

  for (const sr of srRois) {
    const xml = xmlByKey.get(roiKey(sr));
    if (!xml) {
      problems.push({ code: ProblemCode.XML_MISMATCH, message: `${describeRoi(sr)} is in the SR but not in its XML copy` });
      continue;
    }
    for (const name of GE_RESULT_NAMES) {
      const srValue = sr.values[name];
      const xmlValue = xml.values[name];
      if (srValue === undefined && xmlValue === undefined) continue;
      if (srValue === undefined || xmlValue === undefined) {
        problems.push({
          code: ProblemCode.XML_ITEM_MISSING,
          message: `${name} of ${describeRoi(sr)} is only in the ${srValue === undefined ? 'XML copy' : 'SR'}`,
        });
        continue;
      }
      if (srValue.trim() === xmlValue.trim()) continue;
      const a = parseDecimal(srValue);
      const b = parseDecimal(xmlValue);
      if (a === null || b === null || a !== b) {
        problems.push({
          code: ProblemCode.XML_MISMATCH,
          message: `${name} of ${describeRoi(sr)} is ${quoteInput(srValue)} in the SR but ${quoteInput(xmlValue)} in its XML copy`,
        });
      }
    }
  }
  for (const xml of xmlRois) {
    if (!srKeys.has(roiKey(xml))) {
      problems.push({ code: ProblemCode.XML_MISMATCH, message: `${describeRoi(xml)} is in the XML copy but not in the SR` });
    }
  }
  return problems;
}
