/**
 * Coded concepts: how two are compared, and every standard code the readers and the fixture
 * writer use, with its source. Concepts are compared by scheme and value, never by meaning
 * (the display text is the export's own wording and may be translated).
 *
 * Sources: DICOM PS3.16 TID 1500/1501 (DCM, UMLS container codes); DICOM CID 7603 and CID 244
 * via pydicom's concept dictionary (SCT vertebrae, laterality); DICOM CID 10005 (SCT DXA);
 * LOINC DXA bone density codes as listed by OHDSI Themis (convention on negative values) and
 * US Core examples; SNOMED CT yes/no qualifiers as used across FHIR implementation guides.
 */
import type { Region } from '../model/regions.ts';
import type { VfaLevel } from '../model/study.ts';

export interface CodedConcept {
  value: string;
  scheme: string;
  meaning: string;
}
export type Code = CodedConcept;

export const Scheme = { DCM: 'DCM', SCT: 'SCT', LN: 'LN', UMLS: 'UMLS', UCUM: 'UCUM' } as const;

export function sameCode(a: { value: string; scheme: string } | null | undefined, b: Code): boolean {
  return a !== null && a !== undefined && a.value === b.value && a.scheme === b.scheme;
}

const dcm = (value: string, meaning: string): Code => ({ value, scheme: Scheme.DCM, meaning });
const sct = (value: string, meaning: string): Code => ({ value, scheme: Scheme.SCT, meaning });
const ln = (value: string, meaning: string): Code => ({ value, scheme: Scheme.LN, meaning });
const ucum = (value: string, meaning: string): Code => ({ value, scheme: Scheme.UCUM, meaning });

/** DICOM (DCM) and UMLS concepts of TID 1500/1501, PS3.16. */
export const DCM = {
  imagingMeasurementReport: dcm('126000', 'Imaging Measurement Report'),
  language: dcm('121049', 'Language of Content Item and Descendants'),
  observerType: dcm('121005', 'Observer Type'),
  person: dcm('121006', 'Person'),
  personObserverName: dcm('121008', 'Person Observer Name'),
  procedureReported: dcm('121058', 'Procedure reported'),
  imageLibrary: dcm('111028', 'Image Library'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUid: dcm('112040', 'Tracking Unique Identifier'),
  qualitativeEvaluations: { value: 'C0034375', scheme: Scheme.UMLS, meaning: 'Qualitative Evaluations' } as Code,
} as const;

/** SNOMED CT (SCT) concepts: the DXA procedure, finding site and laterality, yes and no. */
export const SCT = {
  dxa: sct('241686001', 'Dual energy X-ray absorptiometry'),
  findingSite: sct('363698007', 'Finding Site'),
  laterality: sct('272741003', 'Laterality'),
  left: sct('7771000', 'Left'),
  right: sct('24028007', 'Right'),
  bilateral: sct('51440002', 'Right and left'),
  hip: sct('29836001', 'Hip'),
  yes: sct('373066001', 'Yes'),
  no: sct('373067005', 'No'),
} as const;

/** SCT vertebra codes, DICOM CID 7603. */
export const VERTEBRA_CODES: Record<VfaLevel, Code> = {
  T4: sct('73071006', 'T4 vertebra'),
  T5: sct('56401006', 'T5 vertebra'),
  T6: sct('45296009', 'T6 vertebra'),
  T7: sct('62487009', 'T7 vertebra'),
  T8: sct('11068009', 'T8 vertebra'),
  T9: sct('82687006', 'T9 vertebra'),
  T10: sct('7610001', 'T10 vertebra'),
  T11: sct('12989004', 'T11 vertebra'),
  T12: sct('23215003', 'T12 vertebra'),
  L1: sct('66794005', 'L1 vertebra'),
  L2: sct('14293000', 'L2 vertebra'),
  L3: sct('36470004', 'L3 vertebra'),
  L4: sct('11994002', 'L4 vertebra'),
};

export interface QuantityCodes {
  bmd: Code;
  tScore: Code;
  zScore: Code;
}

/** LOINC DXA quantities by skeletal site, without laterality (laterality is a concept modifier). */
export const LOINC_BY_SITE = {
  lumbarSpine: {
    bmd: ln('24966-4', 'DXA Lumbar spine [Mass/Area] Bone density'),
    tScore: ln('38267-1', 'DXA Lumbar spine [T-score] Bone density'),
    zScore: ln('85394-5', 'DXA Lumbar spine [Z-score] Bone density'),
  },
  femur: {
    bmd: ln('24701-5', 'DXA Femur [Mass/Area] Bone density'),
    tScore: ln('38263-0', 'DXA Femur [T-score] Bone density'),
    zScore: ln('80934-3', 'DXA Femur [Z-score] Bone density'),
  },
  hip: {
    bmd: ln('38261-4', 'DXA Hip [Mass/Area] Bone density'),
    tScore: ln('38264-8', 'DXA Hip [T-score] Bone density'),
    zScore: ln('80933-5', 'DXA Hip [Z-score] Bone density'),
  },
  forearm: {
    bmd: ln('24890-6', 'DXA Radius and Ulna [Mass/Area] Bone density'),
    tScore: ln('38265-5', 'DXA Radius and Ulna [T-score] Bone density'),
    zScore: ln('80932-7', 'DXA Radius and Ulna [Z-score] Bone density'),
  },
} as const satisfies Record<string, QuantityCodes>;

export function quantityCodesFor(region: Region): QuantityCodes {
  if (/^L[1-4]/.test(region)) return LOINC_BY_SITE.lumbarSpine;
  if (region === 'total_hip') return LOINC_BY_SITE.hip;
  if (region.startsWith('radius')) return LOINC_BY_SITE.forearm;
  return LOINC_BY_SITE.femur;
}

/** UCUM units of the DXA quantities and VFA heights. */
export const UNITS = {
  bmd: ucum('g/cm2', 'g/cm2'),
  tScore: ucum('{T-score}', 'T-score'),
  zScore: ucum('{Z-score}', 'Z-score'),
  mm: ucum('mm', 'mm'),
  count: ucum('1', 'no units'),
} as const satisfies Record<string, Code>;

export function vertebraFromCode(code: { value: string; scheme: string }): VfaLevel | null {
  const entry = Object.entries(VERTEBRA_CODES).find(([, c]) => sameCode(code, c));
  return (entry?.[0] as VfaLevel | undefined) ?? null;
}
