import type { SrNode } from '../../dicom/sr-tree.ts';
import { ProblemCode, ReadError } from '../../model/problems.ts';
import { describeRoi, type GeRoiRecord } from './roi-record.ts';
import { GE_SCHEME, geResultName, isTrendContainer } from './vocabulary.ts';

export interface CollectedRois {
  rois: GeRoiRecord[];
  trendContainers: string[];
  /** scan containers with no ROI container inside: a tree cut short, never a real export */
  emptyScans: string[];
}

/** Walks `DXA Report → scan → ROI → results`; child order does not matter and missing items are simply absent. */
export function collectSrRois(root: SrNode): CollectedRois {
  const rois: GeRoiRecord[] = [];
  const trendContainers: string[] = [];
  const emptyScans: string[] = [];
  for (const scan of containers(root)) {
    const scanName = scan.concept?.meaning ?? '';
    if (containers(scan).length === 0) emptyScans.push(scanName);
    for (const roi of containers(scan)) {
      const roiName = roi.concept?.meaning ?? '';
      if (isTrendContainer(roiName)) {
        trendContainers.push(`${scanName}: ${roiName}`);
        continue;
      }
      rois.push(readRoi(scanName, roiName, roi));
    }
  }
  return { rois, trendContainers, emptyScans };
}

function readRoi(scan: string, roi: string, node: SrNode): GeRoiRecord {
  const record: GeRoiRecord = { scan, roi, values: {}, units: {} };
  for (const item of node.children) {
    if (item.concept?.scheme !== GE_SCHEME) continue;
    const name = geResultName(item.concept.value);
    if (name === null) continue;
    if (record.values[name] !== undefined) {
      throw new ReadError(ProblemCode.DUPLICATE_ROI, `${name} appears twice in ${describeRoi(record)}`);
    }
    if (item.valueType === 'TEXT' && item.text !== null) {
      record.values[name] = item.text;
    } else if (item.valueType === 'NUM' && item.numeric !== null) {
      record.values[name] = item.numeric.raw;
      if (item.numeric.unit) record.units[name] = item.numeric.unit.value;
    } else {
      // a result item without its value was damaged or cut: a missing T-score must not read as "not measured"
      throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${name} of ${describeRoi(record)} has no value`);
    }
  }
  return record;
}

function containers(node: SrNode): SrNode[] {
  return node.children.filter((child) => child.valueType === 'CONTAINER');
}
