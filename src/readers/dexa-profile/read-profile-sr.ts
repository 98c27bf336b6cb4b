import type { SrNode } from '../../dicom/sr-tree.ts';
import { ProblemCode, ReadError, type Problem } from '../../model/problems.ts';
import { VERTEBRAE, type Region, type Side } from '../../model/regions.ts';
import type { Measurement, VfaLevel, VfaVertebra } from '../../model/study.ts';
import type { DicomObject, Reader, ReaderFindings } from '../reader.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { quoteInput, shortInput } from '../../model/quote-input.ts';
import { checkDeclaredContent } from './check-complete.ts';
import { onlyKnownItems, PROFILE_ITEMS } from './known-items.ts';
import { LOINC_BY_SITE, UNITS, sameCode, vertebraFromCode, type Code } from '../../dicom/coding.ts';
import { Codes, GENANT_GRADES, regionFromSiteCode, sideFromLaterality } from './codes.ts';

/** The project's DXA SR profile: a TID 1500 Imaging Measurement Report whose procedure is DXA, from any manufacturer. */
export const profileReader: Reader<'dexa-profile-sr'> = {
  id: 'dexa-profile-sr',
  reads: 'DXA SR profile (docs/dxa-sr-profile.md): BMD and VFA in a TID 1500 report',
  recognises(object: DicomObject): boolean {
    const report = object.structuredReport();
    return report !== null && isDexaProfileReport(report.root);
  },
  read(object: DicomObject): ReaderFindings {
    const report = object.structuredReport();
    if (report === null) throw new Error('the DXA SR profile reader was given an object that is not a structured report');
    return readProfileSr(report.root, report.header.sopInstanceUid);
  },
};

function isDexaProfileReport(root: SrNode): boolean {
  return (
    sameCode(root.concept, Codes.report) &&
    root.children.some((child) => sameCode(child.concept, Codes.procedureReported) && sameCode(child.code, Codes.dxa))
  );
}

/** One profile SR instance → BMD measurements and/or VFA vertebrae (docs/dxa-sr-profile.md). */
function readProfileSr(root: SrNode, sopInstanceUid: string): ReaderFindings {
  const warnings: Problem[] = [];
  const measurements: Measurement[] = [];
  const vfa: VfaVertebra[] = [];
  const containers = childrenWith(root, Codes.imagingMeasurements);
  if (containers.length !== 1) {
    throw new ReadError(
      containers.length === 0 ? ProblemCode.NO_RESULTS : ProblemCode.PROFILE_INVALID,
      `the report must have one Imaging Measurements container, not ${containers.length}`,
    );
  }
  const container = containers[0] as SrNode;
  onlyKnownItems(root, PROFILE_ITEMS.root, 'the report');
  onlyKnownItems(container, PROFILE_ITEMS.imagingMeasurements, 'the Imaging Measurements container');
  for (const evaluations of childrenWith(root, Codes.qualitativeEvaluations)) {
    onlyKnownItems(evaluations, PROFILE_ITEMS.qualitativeEvaluations, 'the Qualitative Evaluations container');
  }
  const groups = childrenWith(container, Codes.measurementGroup);

  for (const group of groups) {
    const label = shortInput(textOf(group, Codes.trackingIdentifier) ?? 'untitled measurement group');
    const sites = group.children.filter((child) => sameCode(child.concept, Codes.findingSite) && child.code !== null);
    const lateralityItem = [...group.children, ...sites.flatMap((site) => site.children)].find((item) => sameCode(item.concept, Codes.laterality));
    const side = sideFromLaterality(lateralityItem?.code ?? null);
    if (isVfaGroup(group)) {
      onlyKnownItems(group, PROFILE_ITEMS.vfaGroup, `VFA group '${label}'`);
      const vertebra = readVfaGroup(group, sites, label);
      if (vfa.some((v) => v.level === vertebra.level)) invalid(`${vertebra.level} has two VFA measurement groups`);
      vfa.push(vertebra);
      continue;
    }
    const region = regionOf(sites, label);
    // the profile is ours: a group whose site is not one it defines was damaged, not meant for another reader
    if (region === null) invalid(`measurement group '${label}' has no finding site the profile defines`);
    if (measurements.some((m) => m.region === region && m.side === side)) invalid(`${region}${side ? ` ${side}` : ''} is measured twice`);
    onlyKnownItems(group, PROFILE_ITEMS.bmdGroup, `measurement group '${label}'`);
    const measurement = readBmdGroup(group, region, side, label, sopInstanceUid);
    if (measurement.bmd === null) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `measurement group '${label}' has no BMD`);
    measurements.push(measurement);
  }

  checkDeclaredContent(container, groups.length, vfa.map((vertebra) => vertebra.level));
  if (measurements.length === 0 && vfa.length === 0) {
    throw new ReadError(ProblemCode.NO_RESULTS, 'the report holds no BMD measurement and no VFA vertebra this service uses');
  }

  const category = childrenWith(root, Codes.qualitativeEvaluations)
    .flatMap((container) => container.children)
    .find((item) => sameCode(item.concept, Codes.scannerCategory))?.text ?? null;

  return {
    measurements,
    sideDifferences: [],
    vfa,
    warnings,
    study: { vendorCategory: category },
  };
}

const VFA_ITEMS: Code[] = [Codes.vfaEvaluable, Codes.anteriorHeight, Codes.middleHeight, Codes.posteriorHeight, Codes.genantGrade];

function isVfaGroup(group: SrNode): boolean {
  return group.children.some((child) => VFA_ITEMS.some((code) => sameCode(child.concept, code)));
}

function readVfaGroup(group: SrNode, sites: SrNode[], label: string): VfaVertebra {
  const levels = sites.map((site) => vertebraFromCode(site.code as Code)).filter((level): level is VfaLevel => level !== null);
  if (levels.length !== 1) invalid(`VFA group '${label}' must name exactly one vertebra T4–L4 as finding site`);
  const evaluableItem = group.children.find((child) => sameCode(child.concept, Codes.vfaEvaluable));
  const genantItem = group.children.find((child) => sameCode(child.concept, Codes.genantGrade));
  let readerGrade: VfaVertebra['readerGrade'] = null;
  if (genantItem) {
    const grade = GENANT_GRADES.findIndex((code) => sameCode(genantItem.code, code));
    if (grade < 0) invalid(`VFA group '${label}' has an unknown Genant grade code ${quoteInput(genantItem.code?.value ?? '')}`);
    readerGrade = grade as 0 | 1 | 2 | 3;
  }
  const height = (code: Code) => {
    const value = numberOf(group, code, UNITS.mm, label);
    if (value !== null && value <= 0) invalid(`${code.meaning} in '${label}' must be positive, not ${value}`);
    return value;
  };
  return {
    level: levels[0] as VfaLevel,
    evaluable: evaluableItem ? yesOrNo(evaluableItem, label) : true,
    anteriorMm: height(Codes.anteriorHeight),
    middleMm: height(Codes.middleHeight),
    posteriorMm: height(Codes.posteriorHeight),
    readerGrade,
  };
}

function regionOf(sites: SrNode[], label: string): Region | null {
  const levels = sites.map((site) => vertebraFromCode(site.code as Code));
  if (sites.length > 0 && levels.every((level) => level !== null && (VERTEBRAE as readonly string[]).includes(level))) {
    const indexes = levels.map((level) => VERTEBRAE.indexOf(level as (typeof VERTEBRAE)[number])).sort((a, b) => a - b);
    const contiguous = indexes.every((index, i) => i === 0 || index === (indexes[i - 1] as number) + 1);
    if (!contiguous) invalid(`measurement group '${label}' combines vertebrae that are not contiguous`);
    const first = VERTEBRAE[indexes[0] as number];
    const last = VERTEBRAE[indexes[indexes.length - 1] as number];
    return (first === last ? first : `${first}-${last}`) as Region;
  }
  if (sites.length !== 1) return null;
  return regionFromSiteCode(sites[0]?.code as Code);
}

function readBmdGroup(group: SrNode, region: Region, side: Side, label: string, sopInstanceUid: string): Measurement {
  const quantity = (pick: 'bmd' | 'tScore' | 'zScore') => {
    const codes = Object.values(LOINC_BY_SITE).map((site) => site[pick]);
    const found = group.children.filter((child) => codes.some((code) => sameCode(child.concept, code)));
    if (found.length > 1) invalid(`measurement group '${label}' holds ${found.length} ${pick === 'bmd' ? 'BMD' : pick === 'tScore' ? 'T-score' : 'Z-score'} items`);
    return found[0] ? numberOfItem(found[0], UNITS[pick], label) : null;
  };
  return {
    region,
    side,
    bmd: quantity('bmd'),
    bmc: null,
    areaCm2: null,
    tScore: quantity('tScore'),
    zScore: quantity('zScore'),
    youngAdultPercent: null,
    ageMatchedPercent: null,
    source: { sopInstanceUid, scan: 'DXA SR profile', roi: label },
  };
}

function numberOf(group: SrNode, concept: Code, unit: Code, label: string): number | null {
  const item = group.children.find((child) => sameCode(child.concept, concept));
  return item ? numberOfItem(item, unit, label) : null;
}

function yesOrNo(item: SrNode, label: string): boolean {
  if (sameCode(item.code, Codes.yes)) return true;
  if (sameCode(item.code, Codes.no)) return false;
  return invalid(`'${Codes.vfaEvaluable.meaning}' in '${label}' is ${quoteInput(item.code?.value ?? '')}, neither Yes nor No`);
}

/** A NUM item the profile defines carries its value: one without is a damaged or incomplete item, never an unknown value. */
function numberOfItem(item: SrNode, unit: Code, label: string): number {
  const name = shortInput(item.concept?.meaning ?? 'value');
  if (item.valueType !== 'NUM') invalid(`${name} in '${label}' is a ${quoteInput(item.valueType)} item, not NUM`);
  const raw = item.numeric?.raw ?? null;
  if (raw === null) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${name} in '${label}' has no value`);
  const value = parseDecimal(raw);
  if (value === null) throw new ReadError(ProblemCode.UNPARSABLE_VALUE, `${name} in '${label}' is ${quoteInput(raw)}, not a number`);
  if (item.numeric?.unit && !sameCode(item.numeric.unit, unit)) {
    throw new ReadError(ProblemCode.UNEXPECTED_UNIT, `${name} in '${label}' is in ${quoteInput(item.numeric.unit.value)}, expected '${unit.value}'`);
  }
  return value;
}

function childrenWith(node: SrNode, code: Code): SrNode[] {
  return node.children.filter((child) => sameCode(child.concept, code));
}

function textOf(node: SrNode, code: Code): string | null {
  return node.children.find((child) => sameCode(child.concept, code))?.text ?? null;
}

function invalid(message: string): never {
  throw new ReadError(ProblemCode.PROFILE_INVALID, message);
}
