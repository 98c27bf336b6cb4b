/**
 * The older GE Lunar XML in ImageComments (0020,4000), `<DENSITOMETRY_RESULTS>` (research notes
 * dxa-dicom-sr.md §1.5, end): per scan a trend of one ROI, each exam with its date, BMD, `YAT`
 * (T-score) and `AMZ` (Z-score); the last exam of a trend is the current scan.
 *
 *   <DENSITOMETRY_RESULTS><CURRENT_EXAM>
 *     <SCAN type="AP Spine"><TREND><TREND_ROI>L1-L4</TREND_ROI><BASELINE_EXAM_DATE>3/13/2023</BASELINE_EXAM_DATE>
 *       <EXAM><EXAM_DATE>3/13/2023</EXAM_DATE><BMD>1.042</BMD><YAT>-1.2</YAT><AMZ>0.7</AMZ></EXAM>
 *       <EXAM><EXAM_DATE>4/6/2026</EXAM_DATE><BMD>1.014</BMD><YAT>-1.5</YAT><AMZ>0.4</AMZ><BMD_CHANGE>…</BMD_CHANGE></EXAM>
 *     </TREND></SCAN> …
 *   </CURRENT_EXAM></DENSITOMETRY_RESULTS>
 *
 * Scan types and ROI names are GE's, read through vocabulary.ts like the SR's. Only the current
 * exam is read: its date must be the study's, and every value it needs must be there and be a
 * plausible number; anything else fails the file, never a default.
 */
import { geXmlParser } from './ge-xml-parser.ts';
import { ProblemCode, ReadError } from '../../model/problems.ts';
import { quoteInput } from '../../model/quote-input.ts';
import type { Measurement, SideDifference } from '../../model/study.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { isPlausibleBmd, isPlausibleScore, PLAUSIBLE_BMD, PLAUSIBLE_SCORE } from '../plausible-values.ts';
import { addOnce } from './interpret-rois.ts';
import { describeRoi } from './roi-record.ts';
import { GE_RESULT_UNITS, geRoi, geScan } from './vocabulary.ts';

export interface DensitometryResults {
  measurements: Measurement[];
  sideDifferences: SideDifference[];
  /** exams before the current one, over all trends: the scanner's own priors, not used */
  earlierExams: number;
}

const VALUES = {
  BMD: 'BMD',
  YAT: 'YAT (T-score)',
  AMZ: 'AMZ (Z-score)',
} as const;
type ValueName = keyof typeof VALUES;

// every element as a list, so an element given twice is seen rather than merged
const parser = geXmlParser((_name, isAttribute) => !isAttribute);

type XmlNode = Record<string, unknown>;

const NAME = '<DENSITOMETRY_RESULTS>';

/** Reads the current exam of every trend in the older XML. `studyDate` is the header's, ISO. */
export function readDensitometryResults(xml: string, studyDate: string | null, sopInstanceUid: string): DensitometryResults {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new ReadError(ProblemCode.XML_UNREADABLE, `the ${NAME} XML in ImageComments declares a DTD or entities, which enCORE never writes`);
  }
  let document: XmlNode;
  try {
    document = parser.parse(xml, true) as XmlNode;
  } catch (error) {
    const reason = error instanceof Error ? quoteInput(error.message.split('\n')[0] ?? '') : 'an unknown XML error';
    throw new ReadError(ProblemCode.XML_UNREADABLE, `the ${NAME} XML in ImageComments is not valid XML: ${reason}`);
  }
  const root = single(document, 'DENSITOMETRY_RESULTS', ProblemCode.XML_UNREADABLE, `ImageComments has no single ${NAME} root`);
  const current = single(root, 'CURRENT_EXAM', ProblemCode.INCOMPLETE_REPORT, `the ${NAME} XML has no single CURRENT_EXAM`);
  const scans = children(current, 'SCAN');
  if (scans.length === 0) throw new ReadError(ProblemCode.NO_RESULTS, `the ${NAME} XML holds no SCAN`);

  const measurements: Measurement[] = [];
  const sideDifferences: SideDifference[] = [];
  let earlierExams = 0;
  for (const scanNode of scans) {
    const scanName = attribute(scanNode, 'type');
    if (scanName === null) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `a SCAN in the ${NAME} XML has no type`);
    const scan = geScan(scanName);
    if (!scan) throw new ReadError(ProblemCode.UNKNOWN_SCAN, `scan ${quoteInput(scanName)} in the ${NAME} XML is not one this service reads`);
    const trends = children(scanNode, 'TREND');
    if (trends.length === 0) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `scan ${quoteInput(scanName)} in the ${NAME} XML holds no TREND`);

    for (const trend of trends) {
      const roiName = text(trend, 'TREND_ROI', `a TREND of scan ${quoteInput(scanName)} in the ${NAME} XML`);
      const where = { scan: scanName, roi: roiName };
      const meaning = geRoi(scan, roiName);
      if (meaning.kind === 'unknown') {
        throw new ReadError(ProblemCode.UNKNOWN_ROI, `${describeRoi(where)} in the ${NAME} XML is not a region this service knows`);
      }
      const exams = children(trend, 'EXAM');
      const exam = exams.at(-1);
      if (!exam) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${describeRoi(where)} in the ${NAME} XML has no EXAM`);
      earlierExams += exams.length - 1;
      const label = `the current exam of ${describeRoi(where)} in the ${NAME} XML`;
      checkExamDate(text(exam, 'EXAM_DATE', label), studyDate, label);

      const bmd = value(exam, 'BMD', label);
      const tScore = value(exam, 'YAT', label);
      const zScore = value(exam, 'AMZ', label);
      const source = { sopInstanceUid, scan: scanName, roi: roiName };
      if (meaning.kind === 'difference') {
        addDifferenceOnce(sideDifferences, { region: meaning.region, bmd, tScore, zScore, source });
        continue;
      }
      addOnce(measurements, {
        region: meaning.region,
        side: meaning.side,
        bmd,
        bmc: null,
        areaCm2: null,
        tScore,
        zScore,
        youngAdultPercent: null,
        ageMatchedPercent: null,
        source,
      });
    }
  }
  return { measurements, sideDifferences, earlierExams };
}

/** EXAM_DATE is `M/D/YYYY`; a day-first date fails here or at the comparison, it is never read as another day. */
function checkExamDate(raw: string, studyDate: string | null, label: string): void {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const [month, day, year] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ReadError(ProblemCode.UNPARSABLE_VALUE, `EXAM_DATE of ${label} is ${quoteInput(raw)}, not a date written M/D/YYYY`);
  }
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (studyDate === null) {
    throw new ReadError(ProblemCode.EXAM_DATE_MISMATCH, `${label} is dated ${iso}, and the file has no StudyDate to show it is this study's exam`);
  }
  if (iso !== studyDate) {
    throw new ReadError(
      ProblemCode.EXAM_DATE_MISMATCH,
      `${label} is dated ${iso} (EXAM_DATE ${quoteInput(raw)}) but the study date is ${studyDate}: its values may be another exam's`,
    );
  }
}

function value(exam: XmlNode, name: ValueName, label: string): number {
  const list = elements(exam, name);
  if (list.length > 1) throw new ReadError(ProblemCode.DUPLICATE_ROI, `${VALUES[name]} appears ${list.length} times in ${label}`);
  const element = list[0];
  if (element === undefined) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${label} has no ${VALUES[name]}`);
  const raw = textOf(element);
  if (raw === null || raw === '') throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${VALUES[name]} of ${label} has no value`);
  const number = parseDecimal(raw);
  if (number === null || !Number.isFinite(number)) {
    throw new ReadError(ProblemCode.UNPARSABLE_VALUE, `${VALUES[name]} of ${label} is ${quoteInput(raw)}, not a number`);
  }
  if (name === 'BMD') {
    const unit = typeof element === 'object' && element !== null ? (element as XmlNode)['@units'] : undefined;
    if (typeof unit === 'string' && unit.trim() !== GE_RESULT_UNITS.BMD) {
      throw new ReadError(ProblemCode.UNEXPECTED_UNIT, `BMD of ${label} is in ${quoteInput(unit)}, expected '${GE_RESULT_UNITS.BMD}'`);
    }
    if (!isPlausibleBmd(number)) {
      throw new ReadError(
        ProblemCode.IMPLAUSIBLE_VALUE,
        `BMD of ${label} is ${quoteInput(raw)}, outside ${PLAUSIBLE_BMD.min}–${PLAUSIBLE_BMD.max} g/cm²`,
      );
    }
  } else if (!isPlausibleScore(number)) {
    throw new ReadError(ProblemCode.IMPLAUSIBLE_VALUE, `${VALUES[name]} of ${label} is ${quoteInput(raw)}, beyond ±${PLAUSIBLE_SCORE}`);
  }
  return number;
}

/** A Diff. row given twice is harmless when identical and an error when not, as a measurement is. */
function addDifferenceOnce(list: SideDifference[], candidate: SideDifference): void {
  const existing = list.find((d) => d.region === candidate.region);
  if (!existing) {
    list.push(candidate);
    return;
  }
  if (existing.bmd !== candidate.bmd || existing.tScore !== candidate.tScore || existing.zScore !== candidate.zScore) {
    throw new ReadError(ProblemCode.DUPLICATE_ROI, `${describeRoi(candidate.source)} appears twice in the ${NAME} XML with different values`);
  }
}

function elements(node: XmlNode, name: string): unknown[] {
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

/** Elements that hold elements; one given as bare text holds nothing, and fails where its content is needed. */
function children(node: XmlNode, name: string): XmlNode[] {
  return elements(node, name).map((element) => (typeof element === 'object' && element !== null ? (element as XmlNode) : {}));
}

function single(node: XmlNode, name: string, code: ProblemCode, message: string): XmlNode {
  const list = children(node, name);
  const only = list[0];
  if (list.length !== 1 || only === undefined) throw new ReadError(code, message);
  return only;
}

/** The text of the one element `name` under `node`; missing, empty or repeated is an error naming `owner`. */
function text(node: XmlNode, name: string, owner: string): string {
  const list = elements(node, name);
  if (list.length > 1) throw new ReadError(ProblemCode.DUPLICATE_ROI, `${name} appears ${list.length} times in ${owner}`);
  const raw = list.length === 1 ? textOf(list[0]) : null;
  if (raw === null || raw === '') throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${owner} has no ${name}`);
  return raw;
}

/** A leaf's text: a string, or `#text` of an element with attributes; null for an element holding elements. */
function textOf(element: unknown): string | null {
  if (typeof element === 'string') return element;
  if (typeof element !== 'object' || element === null) return null;
  const node = element as XmlNode;
  if (Object.keys(node).some((key) => !key.startsWith('@') && key !== '#text')) return null;
  const inner = node['#text'];
  return typeof inner === 'string' ? inner : inner === undefined ? '' : null;
}

function attribute(node: XmlNode, name: string): string | null {
  const value = node[`@${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
