import { ProblemCode, ReadError, type Problem } from '../../model/problems.ts';
import { quoteInput } from '../../model/quote-input.ts';
import type { Measurement, SideDifference } from '../../model/study.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { describeRoi, type GeRoiRecord } from './roi-record.ts';
import { GE_RESULT_UNITS, geRoi, geScan, type GeResultName } from './vocabulary.ts';

export interface InterpretedRois {
  measurements: Measurement[];
  sideDifferences: SideDifference[];
  warnings: Problem[];
}

/** Turns GE ROI records into canonical measurements. A value that does not parse fails the whole file. */
export function interpretRois(rois: GeRoiRecord[], sopInstanceUid: string): InterpretedRois {
  const measurements: Measurement[] = [];
  const sideDifferences: SideDifference[] = [];
  const warnings: Problem[] = [];
  const unknownScans = new Set<string>();

  for (const record of rois) {
    const scan = geScan(record.scan);
    if (!scan) {
      unknownScans.add(record.scan);
      continue;
    }
    const meaning = geRoi(scan, record.roi);
    const source = { sopInstanceUid, scan: record.scan, roi: record.roi };
    const value = (name: GeResultName): number | null => readValue(record, name);
    if (meaning.kind !== 'unknown' && record.values.BMD === undefined) {
      throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${describeRoi(record)} has no BMD: the export is incomplete`);
    }
    switch (meaning.kind) {
      case 'unknown':
        warnings.push({ code: ProblemCode.UNKNOWN_ROI, message: `${describeRoi(record)} is not a region this service uses` });
        break;
      case 'difference':
        sideDifferences.push({
          region: meaning.region,
          bmd: value('BMD'),
          tScore: value('BMD_TSCORE'),
          zScore: value('BMD_ZSCORE'),
          source,
        });
        break;
      case 'measurement':
        addOnce(measurements, {
          region: meaning.region,
          side: meaning.side,
          bmd: value('BMD'),
          bmc: value('BMC'),
          areaCm2: value('AREA'),
          tScore: value('BMD_TSCORE'),
          zScore: value('BMD_ZSCORE'),
          youngAdultPercent: value('BMD_PYA'),
          ageMatchedPercent: value('BMD_PAM'),
          source,
        });
        break;
    }
  }
  for (const scan of unknownScans) {
    warnings.push({ code: ProblemCode.UNKNOWN_SCAN, message: `scan ${quoteInput(scan)} is not one this service reads; its ROIs were not used` });
  }
  return { measurements, sideDifferences, warnings };
}

function readValue(record: GeRoiRecord, name: GeResultName): number | null {
  const raw = record.values[name];
  if (raw === undefined) return null;
  const number = parseDecimal(raw);
  if (number === null) {
    throw new ReadError(ProblemCode.UNPARSABLE_VALUE, `${name} of ${describeRoi(record)} is ${quoteInput(raw)}, not a number`);
  }
  const unit = record.units[name];
  const expected = GE_RESULT_UNITS[name];
  if (unit === undefined || expected === undefined || unit === expected) return number;
  if (name === 'BMD' && unit === 'mg/cm2') return number / 1000;
  throw new ReadError(
    ProblemCode.UNEXPECTED_UNIT,
    `${name} of ${describeRoi(record)} is in ${quoteInput(unit)}, expected '${expected}'`,
  );
}

/** One ROI twice in one file is harmless when identical and an error when not. */
export function addOnce(measurements: Measurement[], candidate: Measurement): void {
  const existing = measurements.find((m) => m.region === candidate.region && m.side === candidate.side);
  if (!existing) {
    measurements.push(candidate);
    return;
  }
  if (!sameValues(existing, candidate)) {
    throw new ReadError(
      ProblemCode.DUPLICATE_ROI,
      `${describeRoi(candidate.source)} appears twice in this file with different values`,
    );
  }
}

export function sameValues(a: Measurement, b: Measurement): boolean {
  return (
    a.bmd === b.bmd &&
    a.bmc === b.bmc &&
    a.areaCm2 === b.areaCm2 &&
    a.tScore === b.tScore &&
    a.zScore === b.zScore &&
    a.youngAdultPercent === b.youngAdultPercent &&
    a.ageMatchedPercent === b.ageMatchedPercent
  );
}
