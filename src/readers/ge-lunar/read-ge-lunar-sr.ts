import type { SrNode } from '../../dicom/sr-tree.ts';
import { ProblemCode, ReadError, type Problem } from '../../model/problems.ts';
import { quoteInput } from '../../model/quote-input.ts';
import type { Header } from '../dicom-header.ts';
import type { DicomObject, Reader, ReaderFindings } from '../reader.ts';
import { collectSrRois } from './collect-sr-rois.ts';
import { crossCheckXml } from './cross-check.ts';
import { readDensitometryResults } from './densitometry-results.ts';
import { interpretRois } from './interpret-rois.ts';
import { readGeXmlCopy } from './xml-results.ts';
import { GE_REPORT_ROOT } from './vocabulary.ts';

/** GE Lunar enCORE's Enhanced SR: a structured report titled GELUNAR 10000 "DXA Report", whatever its Manufacturer says. */
export const geLunarReader: Reader<'ge-lunar-enhanced-sr'> = {
  id: 'ge-lunar-enhanced-sr',
  reads: 'GE Lunar enCORE Enhanced SR (DXA Report)',
  recognises(object: DicomObject): boolean {
    const report = object.structuredReport();
    return report !== null && isGeLunarReport(report.root);
  },
  read(object: DicomObject): ReaderFindings {
    const report = object.structuredReport();
    if (report === null) throw new Error('the GE Lunar reader was given an object that is not a structured report');
    return readGeLunarSr(report.header, report.root);
  },
};

function isGeLunarReport(root: SrNode): boolean {
  return root.concept?.scheme === GE_REPORT_ROOT.scheme && root.concept.value === GE_REPORT_ROOT.value;
}

/** One GE Lunar enCORE Enhanced SR instance → its measurements and warnings. */
function readGeLunarSr(header: Header, root: SrNode): ReaderFindings {
  const { rois, trendContainers, emptyScans } = collectSrRois(root);
  if (emptyScans.length > 0) {
    throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `scan ${quoteInput(emptyScans[0] as string)} holds no ROI${emptyScans.length > 1 ? ` (and ${emptyScans.length - 1} more scans)` : ''}`);
  }
  const warnings: Problem[] = [];

  const xml = readGeXmlCopy(header.imageComments);
  if (rois.length === 0 && xml.format === 'densitometry_results') return readOlderXmlOnly(header, xml.text);
  if (xml.format === 'dxa_results') {
    const problems = crossCheckXml(rois, xml.rois);
    const first = problems.find((problem) => problem.code === ProblemCode.XML_MISMATCH) ?? problems[0];
    if (first) {
      const others = problems.length - 1;
      throw new ReadError(first.code, `the SR and its XML copy disagree: ${first.message}${others > 0 ? ` (and ${others} more)` : ''}`);
    }
  } else if (xml.format === 'densitometry_results') {
    warnings.push({ code: ProblemCode.NO_XML_COPY, message: 'the older <DENSITOMETRY_RESULTS> copy is not cross-checked' });
  } else {
    warnings.push({ code: ProblemCode.NO_XML_COPY, message: 'no <DXA_RESULTS> copy in ImageComments to cross-check against' });
  }
  if (trendContainers.length > 0) {
    warnings.push({
      code: ProblemCode.TREND_NOT_USED,
      message: `the scanner's trend data (${trendContainers.length} containers) is not used; priors come from stored studies`,
    });
  }

  const interpreted = interpretRois(rois, header.sopInstanceUid);
  if (interpreted.measurements.length === 0 && interpreted.sideDifferences.length === 0) {
    throw new ReadError(ProblemCode.NO_RESULTS, 'the report holds no ROI with results this service uses');
  }
  return {
    measurements: interpreted.measurements,
    sideDifferences: interpreted.sideDifferences,
    vfa: [],
    warnings: [...warnings, ...interpreted.warnings],
  };
}

/**
 * Older enCORE: the SR tree holds no ROI and the results are only in the `<DENSITOMETRY_RESULTS>`
 * XML. Each value is there once, with nothing in the file to check it against, so the warning is
 * the one that holds the study for a person (UNVERIFIED_VALUES), as for a Hologic export.
 */
function readOlderXmlOnly(header: Header, xml: string): ReaderFindings {
  const results = readDensitometryResults(xml, header.study.studyDate, header.sopInstanceUid);
  if (results.measurements.length === 0) {
    throw new ReadError(ProblemCode.NO_RESULTS, 'the SR tree holds no ROI and the older <DENSITOMETRY_RESULTS> XML no region this service uses');
  }
  const warnings: Problem[] = [
    {
      code: ProblemCode.NO_SECOND_COPY,
      message: 'the SR tree holds no results: the values come from the older <DENSITOMETRY_RESULTS> XML only and are not cross-checked',
    },
  ];
  if (results.earlierExams > 0) {
    warnings.push({
      code: ProblemCode.TREND_NOT_USED,
      message: `the scanner's earlier exams in the older XML (${results.earlierExams}) are not used; priors come from stored studies`,
    });
  }
  return { measurements: results.measurements, sideDifferences: results.sideDifferences, vfa: [], warnings };
}
