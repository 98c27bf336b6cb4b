import type { SrNode } from '../../dicom/sr-tree.ts';
import { ProblemCode, ReadError, type Problem } from '../../model/problems.ts';
import { VERTEBRAE, isSpineRange, isVertebra, type Region, type Side } from '../../model/regions.ts';
import type { Measurement, VfaLevel, VfaVertebra } from '../../model/study.ts';
import type { DicomObject, Reader, ReaderFindings } from '../reader.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { isPlausibleBmd, isPlausibleScore, PLAUSIBLE_BMD, PLAUSIBLE_SCORE } from '../plausible-values.ts';
import { quoteInput, shortInput } from '../../model/quote-input.ts';
import { checkDeclaredContent } from './check-complete.ts';
import { onlyKnownItems, PROFILE_ITEMS } from './known-items.ts';
import { LOINC_BY_SITE, UNITS, quantityCodesFor, sameCode, vertebraFromCode, type Code } from '../../dicom/coding.ts';
import { Codes, GENANT_GRADES, regionFromSiteCode, sideFromLaterality } from '../../dicom/profile-codes.ts';

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
    checkComplete(object.text.string(object.dataSet, COMPLETION_FLAG));
    return readProfileSr(report.root, report.header.sopInstanceUid);
  },
};

/** Completion Flag (0040,A491), in dicom-parser's tag form: only this reader reads it. */
const COMPLETION_FLAG = 'x0040a491';

/** Only a report its writer calls COMPLETE is read: a PARTIAL one may lack the very result that decides the letter. */
function checkComplete(flag: string | null): void {
  if (flag === 'COMPLETE') return;
  throw new ReadError(
    ProblemCode.INCOMPLETE_REPORT,
    flag === null
      ? 'the report has no Completion Flag: only a report marked COMPLETE is read'
      : `the report's Completion Flag is ${quoteInput(flag)}: only a report marked COMPLETE is read`,
  );
}

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
    const label = groupLabel(group);
    const sites = findingSites(group, label);
    const lateralities = [...group.children, ...sites.flatMap((site) => site.children)].filter((item) => sameCode(item.concept, Codes.laterality));
    if (isVfaGroup(group)) {
      onlyKnownItems(group, PROFILE_ITEMS.vfaGroup, `VFA group '${label}'`);
      if (lateralities.length > 0) invalid(`VFA group '${label}' has a laterality; a vertebra has none`);
      const vertebra = readVfaGroup(sites, group, label);
      if (vfa.some((v) => v.level === vertebra.level)) invalid(`${vertebra.level} has two VFA measurement groups`);
      vfa.push(vertebra);
      continue;
    }
    const region = regionOf(sites, label);
    // the profile is ours: a group whose site is not one it defines was damaged, not meant for another reader
    if (region === null) invalid(`measurement group '${label}' has no finding site the profile defines`);
    const side = sideOf(region, lateralities, label);
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

  const categoryItem = childrenWith(root, Codes.qualitativeEvaluations)
    .flatMap((container) => container.children)
    .find((item) => sameCode(item.concept, Codes.scannerCategory));
  // a category lost here would silently turn off the comparison with the scanner (VENDOR_CATEGORY_DIFFERS)
  const category = categoryItem ? textValue(categoryItem, "the scanner's WHO classification (SCANNER-WHO)") : null;

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

/** The group's Tracking Identifier: a TEXT item with a text, which names the group in every message. */
function groupLabel(group: SrNode): string {
  const items = childrenWith(group, Codes.trackingIdentifier);
  if (items.length === 0) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, 'a measurement group has no Tracking Identifier');
  return shortInput(textValue(items[0] as SrNode, 'the Tracking Identifier of a measurement group'));
}

/** A TEXT item the profile defines carries its text; one of another value type or without text is refused, never taken as absent. */
function textValue(item: SrNode, name: string): string {
  if (item.valueType !== 'TEXT') invalid(`${name} is a ${quoteInput(item.valueType)} item, not TEXT`);
  if (item.text === null || item.text.trim() === '') throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `${name} has no text`);
  return item.text;
}

/**
 * The Finding Site items of a group, each with its code and nothing under it but a Laterality:
 * one without its code would otherwise be skipped (an L1–L4 group read as L1–L3).
 */
function findingSites(group: SrNode, label: string): SrNode[] {
  const sites = childrenWith(group, Codes.findingSite);
  for (const site of sites) {
    if (site.code === null || site.code.value === '') invalid(`a finding site of measurement group '${label}' has no code`);
    onlyKnownItems(site, [Codes.laterality], `a finding site of measurement group '${label}'`);
  }
  return sites;
}

/**
 * The side of a BMD region: a femur, hip or forearm region has exactly one valid Laterality
 * (left, right, or the mean of both); the lumbar spine has none. A damaged or missing laterality
 * is refused: read as "no side", a left femoral neck would become a femoral neck of no side.
 */
function sideOf(region: Region, lateralities: SrNode[], label: string): Side {
  if (isSpineRange(region) || isVertebra(region)) {
    if (lateralities.length > 0) invalid(`measurement group '${label}' (${region}) has a laterality; the lumbar spine has none`);
    return null;
  }
  if (lateralities.length === 0) {
    throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `measurement group '${label}' (${region}) has no laterality: left, right or the mean of both`);
  }
  if (lateralities.length > 1) invalid(`measurement group '${label}' (${region}) has ${lateralities.length} lateralities`);
  const code = (lateralities[0] as SrNode).code;
  const side = sideFromLaterality(code);
  if (side === null) {
    invalid(`measurement group '${label}' (${region}) has laterality ${code ? `${shortInput(code.scheme)} ${quoteInput(code.value)}` : 'without a code'}, not Left, Right or Right and left`);
  }
  return side;
}

function readVfaGroup(sites: SrNode[], group: SrNode, label: string): VfaVertebra {
  // one finding site, and it a vertebra: a second site of any kind is refused, not ignored
  const level: VfaLevel | null = sites.length === 1 ? vertebraFromCode((sites[0] as SrNode).code as Code) : null;
  if (level === null) invalid(`VFA group '${label}' must name exactly one vertebra T4–L4 as finding site, and nothing else`);
  const evaluableItem = group.children.find((child) => sameCode(child.concept, Codes.vfaEvaluable));
  // a vertebra not said to be evaluable is not assumed to be: its missing fracture would read as none
  if (!evaluableItem) throw new ReadError(ProblemCode.INCOMPLETE_REPORT, `VFA group '${label}' does not say whether the vertebra was evaluable (VFA-EVALUABLE)`);
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
    level,
    evaluable: yesOrNo(evaluableItem, label),
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
  const expected = quantityCodesFor(region);
  const quantity = (pick: 'bmd' | 'tScore' | 'zScore') => {
    const name = pick === 'bmd' ? 'BMD' : pick === 'tScore' ? 'T-score' : 'Z-score';
    const codes = Object.values(LOINC_BY_SITE).map((site) => site[pick]);
    const found = group.children.filter((child) => codes.some((code) => sameCode(child.concept, code)));
    if (found.length > 1) invalid(`measurement group '${label}' holds ${found.length} ${name} items`);
    const item = found[0];
    if (!item) return null;
    // the LOINC code names the skeletal site: a femur code on a spine region means the group was put together wrongly
    if (!sameCode(item.concept, expected[pick])) {
      invalid(`the ${name} of measurement group '${label}' (${region}) has the LOINC code ${quoteInput(item.concept?.value ?? '')} of another body region, expected '${expected[pick].value}'`);
    }
    const value = numberOfItem(item, UNITS[pick], label);
    if (pick === 'bmd' ? !isPlausibleBmd(value) : !isPlausibleScore(value)) {
      throw new ReadError(
        ProblemCode.IMPLAUSIBLE_VALUE,
        pick === 'bmd'
          ? `the BMD of measurement group '${label}' is ${value}, outside ${PLAUSIBLE_BMD.min}–${PLAUSIBLE_BMD.max} g/cm²`
          : `the ${name} of measurement group '${label}' is ${value}, beyond ±${PLAUSIBLE_SCORE}`,
      );
    }
    return value;
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
  // a NUM without its unit is refused like one in another unit: the unit is how a BMD in mg/cm² is told from one in g/cm²
  const given = item.numeric?.unit ?? null;
  if (given === null || given.value === '') {
    throw new ReadError(ProblemCode.UNEXPECTED_UNIT, `${name} in '${label}' has no unit, expected '${unit.value}'`);
  }
  if (!sameCode(given, unit)) {
    throw new ReadError(ProblemCode.UNEXPECTED_UNIT, `${name} in '${label}' is in ${quoteInput(given.value)}, expected '${unit.value}'`);
  }
  return value;
}

function childrenWith(node: SrNode, code: Code): SrNode[] {
  return node.children.filter((child) => sameCode(child.concept, code));
}

function invalid(message: string): never {
  throw new ReadError(ProblemCode.PROFILE_INVALID, message);
}
