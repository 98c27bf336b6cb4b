import { isSpineRange, isVertebra, vertebraeOf, type SpineRange, type Vertebra } from '../model/regions.ts';
import type { Measurement, VfaVertebra } from '../model/study.ts';
import { quantityCodesFor, UNITS, VERTEBRA_CODES, type Code } from './coding.ts';
import { Codes, GENANT_GRADES, LATERALITY_CODES, PRIVATE_SCHEME, PRIVATE_SCHEME_NAME, REGION_SITE_CODES } from './profile-codes.ts';
import {
  codeSequence, COMPREHENSIVE_SR_STORAGE, contentDateTime, decimalString, derivedUid, patientAndStudy, predecessorDocuments, scannerEquipment,
  INSTANCE_CREATOR_UID, type NaturalDataset, type ResultToSend,
} from './write-result-modules.ts';

/** The series number of the results this service sends (the letters' series is 9100 + version). */
export const SR_SERIES_NUMBER_BASE = 9200;

/**
 * A released version's result as a Comprehensive SR in the project's DXA SR profile
 * (docs/dxa-sr-profile.md), which the profile reader (src/readers/dexa-profile/) reads back to
 * the same values: every BMD measurement with its T- and Z-score, every VFA vertebra, and the
 * scanner's own WHO classification when the export gave one; the person observer is whoever
 * signs the letters. The service's own classification is in the letter; the profile has no
 * item for it.
 *
 * Left out, because the profile cannot hold them: measurements without a BMD (the profile
 * refuses a BMD group without one) and left–right differences (never measurements). An amended
 * version names the SRs of the earlier versions in Predecessor Documents Sequence (0040,A360).
 */
export function writeProfileSr(result: ResultToSend, observer: string): NaturalDataset {
  const { assessed } = result;
  const groups = [
    ...assessed.measurements.filter((m) => m.bmd !== null).map((m) => bmdGroup(result, m)),
    ...assessed.vfa.map((vertebra) => vfaGroup(result, vertebra)),
  ];
  const content: NaturalDataset[] = [
    codeItem('HAS CONCEPT MOD', Codes.language, { value: 'nl', scheme: 'RFC5646', meaning: 'Dutch' }),
    codeItem('HAS OBS CONTEXT', Codes.observerType, Codes.person),
    { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: codeSequence(Codes.personObserverName), PersonName: observerName(observer) },
    codeItem('HAS CONCEPT MOD', Codes.procedureReported, Codes.dxa),
    container(Codes.imageLibrary, []),
    container(Codes.imagingMeasurements, [...declarations(groups.length, assessed.vfa), ...groups]),
  ];
  if (assessed.study.vendorCategory) content.push(container(Codes.qualitativeEvaluations, [textItem('CONTAINS', Codes.scannerCategory, assessed.study.vendorCategory)]));
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: COMPREHENSIVE_SR_STORAGE,
    SOPInstanceUID: result.uids.srInstance,
    InstanceCreatorUID: INSTANCE_CREATOR_UID,
    ...patientAndStudy(assessed),
    // SR Document Series
    Modality: 'SR',
    SeriesInstanceUID: result.uids.srSeries,
    SeriesNumber: String(SR_SERIES_NUMBER_BASE + result.version),
    SeriesDescription: `dexa-report result v${result.version}`,
    ReferencedPerformedProcedureStepSequence: [],
    // the profile names the device that measured; the series description says who wrote the report
    ...scannerEquipment(assessed),
    // SR Document General
    InstanceNumber: '1',
    CompletionFlag: 'COMPLETE',
    // released by the department's protocol or a reviewer, but not attested in the report itself
    VerificationFlag: 'UNVERIFIED',
    PreliminaryFlag: 'FINAL',
    ...contentDateTime(result.releasedAt),
    PerformedProcedureCodeSequence: [],
    ...predecessorDocuments(result.predecessors, 'sr'),
    CodingSchemeIdentificationSequence: [{ CodingSchemeDesignator: PRIVATE_SCHEME, CodingSchemeName: PRIVATE_SCHEME_NAME, CodingSchemeResponsibleOrganization: 'dexa-report' }],
    // SR Document Content
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: codeSequence(Codes.report),
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: content,
  };
}

function bmdGroup(result: ResultToSend, measurement: Measurement): NaturalDataset {
  const label = `BMD ${measurement.region}${measurement.side ? ` ${measurement.side}` : ''}`;
  const quantities = quantityCodesFor(measurement.region);
  const spine = isSpineRange(measurement.region) || isVertebra(measurement.region);
  const site = REGION_SITE_CODES[measurement.region];
  if (!spine && site === undefined) throw new Error(`the DXA SR profile has no finding site for ${measurement.region}`);
  const sites = spine
    ? vertebraeOf(measurement.region as SpineRange | Vertebra).map((level) => siteItem(VERTEBRA_CODES[level], null))
    : [siteItem(site as Code, measurement.side === null ? null : LATERALITY_CODES[measurement.side])];
  const number = (concept: Code, value: number | null, unit: Code) => (value === null ? [] : [numItem(concept, value, unit)]);
  return container(Codes.measurementGroup, [
    ...trackingItems(result, label),
    ...sites,
    ...number(quantities.bmd, measurement.bmd, UNITS.bmd),
    ...number(quantities.tScore, measurement.tScore, UNITS.tScore),
    ...number(quantities.zScore, measurement.zScore, UNITS.zScore),
  ]);
}

function vfaGroup(result: ResultToSend, vertebra: VfaVertebra): NaturalDataset {
  const height = (code: Code, value: number | null) => (value === null ? [] : [numItem(code, value, UNITS.mm)]);
  return container(Codes.measurementGroup, [
    ...trackingItems(result, `VFA ${vertebra.level}`),
    siteItem(VERTEBRA_CODES[vertebra.level], null),
    codeItem('CONTAINS', Codes.vfaEvaluable, vertebra.evaluable ? Codes.yes : Codes.no),
    ...height(Codes.anteriorHeight, vertebra.anteriorMm),
    ...height(Codes.middleHeight, vertebra.middleMm),
    ...height(Codes.posteriorHeight, vertebra.posteriorMm),
    ...(vertebra.readerGrade === null ? [] : [codeItem('CONTAINS', Codes.genantGrade, GENANT_GRADES[vertebra.readerGrade] as Code)]),
  ]);
}

/** What the report holds, declared before the groups it counts (docs/dxa-sr-profile.md, "Completeness"). */
function declarations(groupCount: number, vfa: readonly VfaVertebra[]): NaturalDataset[] {
  return [
    { ...numItem(Codes.groupCount, groupCount, UNITS.count), RelationshipType: 'HAS OBS CONTEXT' },
    ...vfa.map((vertebra) => codeItem('HAS OBS CONTEXT', Codes.vfaAssessed, VERTEBRA_CODES[vertebra.level])),
  ];
}

function trackingItems(result: ResultToSend, label: string): NaturalDataset[] {
  return [
    textItem('HAS OBS CONTEXT', Codes.trackingIdentifier, label),
    { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'UIDREF', ConceptNameCodeSequence: codeSequence(Codes.trackingUid), UID: derivedUid(`${result.uids.srInstance}/${label}`) },
  ];
}

function siteItem(site: Code, laterality: Code | null): NaturalDataset {
  return { ...codeItem('HAS CONCEPT MOD', Codes.findingSite, site), ...(laterality ? { ContentSequence: [codeItem('HAS CONCEPT MOD', Codes.laterality, laterality)] } : {}) };
}

function container(concept: Code, children: NaturalDataset[]): NaturalDataset {
  return { RelationshipType: 'CONTAINS', ValueType: 'CONTAINER', ConceptNameCodeSequence: codeSequence(concept), ContinuityOfContent: 'SEPARATE', ContentSequence: children };
}

function codeItem(relationship: string, concept: Code, value: Code): NaturalDataset {
  return { RelationshipType: relationship, ValueType: 'CODE', ConceptNameCodeSequence: codeSequence(concept), ConceptCodeSequence: codeSequence(value) };
}

function textItem(relationship: string, concept: Code, text: string): NaturalDataset {
  return { RelationshipType: relationship, ValueType: 'TEXT', ConceptNameCodeSequence: codeSequence(concept), TextValue: text };
}

function numItem(concept: Code, value: number, unit: Code): NaturalDataset {
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'NUM',
    ConceptNameCodeSequence: codeSequence(concept),
    MeasuredValueSequence: [{ NumericValue: decimalString(value), MeasurementUnitsCodeSequence: codeSequence(unit) }],
  };
}

/** The signer's name as written in the configuration ('dr. A. de Voorbeeld'), as one PN component. */
function observerName(name: string): string {
  return name.replace(/[\\^=]/g, ' ').trim().slice(0, 64);
}
