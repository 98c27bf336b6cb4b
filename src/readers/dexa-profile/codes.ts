/**
 * Every coded concept of the project's DXA SR profile (docs/dxa-sr-profile.md), with its source.
 * Standard concepts where they exist; the private scheme 99DEXA only where none was found.
 *
 * Sources: DICOM PS3.16 TID 1500/1501 (DCM, UMLS container codes); DICOM CID 7603 and CID 244
 * via pydicom's concept dictionary (SCT vertebrae, laterality); DICOM CID 10005 (SCT DXA);
 * LOINC DXA bone density codes as listed by OHDSI Themis (convention on negative values) and
 * US Core examples; SNOMED CT yes/no qualifiers as used across FHIR implementation guides.
 */
import type { Region, Side, Vertebra } from '../../model/regions.ts';
import type { VfaLevel } from '../../model/study.ts';

export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

const dcm = (value: string, meaning: string): Code => ({ value, scheme: 'DCM', meaning });
const sct = (value: string, meaning: string): Code => ({ value, scheme: 'SCT', meaning });
const ln = (value: string, meaning: string): Code => ({ value, scheme: 'LN', meaning });
const dexa = (value: string, meaning: string): Code => ({ value, scheme: PRIVATE_SCHEME, meaning });

export const PRIVATE_SCHEME = '99DEXA';
export const PRIVATE_SCHEME_NAME = 'dexa-report DXA SR profile codes';

export const Codes = {
  report: dcm('126000', 'Imaging Measurement Report'),
  language: dcm('121049', 'Language of Content Item and Descendants'),
  observerType: dcm('121005', 'Observer Type'),
  person: dcm('121006', 'Person'),
  personObserverName: dcm('121008', 'Person Observer Name'),
  procedureReported: dcm('121058', 'Procedure reported'),
  dxa: sct('241686001', 'Dual energy X-ray absorptiometry'),
  imageLibrary: dcm('111028', 'Image Library'),
  imagingMeasurements: dcm('126010', 'Imaging Measurements'),
  measurementGroup: dcm('125007', 'Measurement Group'),
  trackingIdentifier: dcm('112039', 'Tracking Identifier'),
  trackingUid: dcm('112040', 'Tracking Unique Identifier'),
  qualitativeEvaluations: { value: 'C0034375', scheme: 'UMLS', meaning: 'Qualitative Evaluations' } as Code,
  findingSite: sct('363698007', 'Finding Site'),
  laterality: sct('272741003', 'Laterality'),
  left: sct('7771000', 'Left'),
  right: sct('24028007', 'Right'),
  bilateral: sct('51440002', 'Right and left'),
  yes: sct('373066001', 'Yes'),
  no: sct('373067005', 'No'),
  // VFA items: no standard concept exists for vertebral body heights or the Genant grade.
  vfaEvaluable: dexa('VFA-EVALUABLE', 'Vertebra evaluable on VFA'),
  anteriorHeight: dexa('VFA-HA', 'Anterior vertebral body height'),
  middleHeight: dexa('VFA-HM', 'Middle vertebral body height'),
  posteriorHeight: dexa('VFA-HP', 'Posterior vertebral body height'),
  genantGrade: dexa('VFA-GENANT', 'Genant semiquantitative grade'),
  scannerCategory: dexa('SCANNER-WHO', "Scanner's WHO classification"),
  // What a complete report holds, declared before it: a file cut short cannot pass for a smaller report.
  groupCount: dexa('GROUP-COUNT', 'Number of measurement groups'),
  vfaAssessed: dexa('VFA-ASSESSED', 'Vertebra assessed on VFA'),
} as const;

export const GENANT_GRADES: readonly Code[] = [
  dexa('GENANT-0', 'Genant grade 0, normal'),
  dexa('GENANT-1', 'Genant grade 1, mild'),
  dexa('GENANT-2', 'Genant grade 2, moderate'),
  dexa('GENANT-3', 'Genant grade 3, severe'),
];

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

/** Finding sites for the non-spine regions: SCT where DCMR has the structure, 99DEXA for DXA sub-regions it lacks. */
export const REGION_SITE_CODES: Partial<Record<Region, Code>> = {
  total_hip: sct('29836001', 'Hip'),
  femoral_neck: dexa('FEMORAL-NECK', 'Femoral neck DXA region'),
  trochanter: dexa('TROCHANTER', 'Trochanter DXA region'),
  wards: dexa('WARDS', "Ward's triangle DXA region"),
  upper_neck: dexa('UPPER-NECK', 'Upper femoral neck DXA region'),
  lower_neck: dexa('LOWER-NECK', 'Lower femoral neck DXA region'),
  shaft: dexa('FEMORAL-SHAFT', 'Femoral shaft DXA region'),
  radius_33: dexa('RADIUS-33', 'Radius one-third (33 %) DXA region'),
  radius_mid: dexa('RADIUS-MID', 'Radius mid DXA region'),
  radius_ud: dexa('RADIUS-UD', 'Radius ultradistal DXA region'),
  radius_total: dexa('RADIUS-TOTAL', 'Radius total DXA region'),
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

export const LATERALITY_CODES: Record<'left' | 'right' | 'mean', Code> = {
  left: Codes.left,
  right: Codes.right,
  mean: Codes.bilateral,
};

export const UNITS = {
  bmd: { value: 'g/cm2', scheme: 'UCUM', meaning: 'g/cm2' },
  tScore: { value: '{T-score}', scheme: 'UCUM', meaning: 'T-score' },
  zScore: { value: '{Z-score}', scheme: 'UCUM', meaning: 'Z-score' },
  mm: { value: 'mm', scheme: 'UCUM', meaning: 'mm' },
  count: { value: '1', scheme: 'UCUM', meaning: 'no units' },
} as const satisfies Record<string, Code>;

export function sameCode(a: { value: string; scheme: string } | null | undefined, b: Code): boolean {
  return a !== null && a !== undefined && a.value === b.value && a.scheme === b.scheme;
}

export function vertebraFromCode(code: { value: string; scheme: string }): VfaLevel | null {
  const entry = Object.entries(VERTEBRA_CODES).find(([, c]) => sameCode(code, c));
  return (entry?.[0] as VfaLevel | undefined) ?? null;
}

export function regionFromSiteCode(code: { value: string; scheme: string }): Region | null {
  const entry = Object.entries(REGION_SITE_CODES).find(([, c]) => c && sameCode(code, c));
  return (entry?.[0] as Region | undefined) ?? null;
}

export function sideFromLaterality(code: { value: string; scheme: string } | null): Side {
  if (!code) return null;
  if (sameCode(code, Codes.left)) return 'left';
  if (sameCode(code, Codes.right)) return 'right';
  if (sameCode(code, Codes.bilateral)) return 'mean';
  return null;
}

export type { Vertebra };
