/**
 * The concepts of the project's DXA SR profile (docs/dxa-sr-profile.md): which standard concept
 * (dicom/coding.ts) the profile uses for what, and the private scheme 99DEXA only where no
 * standard concept was found.
 */
import { DCM, SCT, sameCode, type Code } from './coding.ts';
import type { Region, Side } from '../model/regions.ts';

const dexa = (value: string, meaning: string): Code => ({ value, scheme: PRIVATE_SCHEME, meaning });

export const PRIVATE_SCHEME = '99DEXA';
export const PRIVATE_SCHEME_NAME = 'dexa-report DXA SR profile codes';

export const Codes = {
  report: DCM.imagingMeasurementReport,
  language: DCM.language,
  observerType: DCM.observerType,
  person: DCM.person,
  personObserverName: DCM.personObserverName,
  procedureReported: DCM.procedureReported,
  dxa: SCT.dxa,
  imageLibrary: DCM.imageLibrary,
  imagingMeasurements: DCM.imagingMeasurements,
  measurementGroup: DCM.measurementGroup,
  trackingIdentifier: DCM.trackingIdentifier,
  trackingUid: DCM.trackingUid,
  qualitativeEvaluations: DCM.qualitativeEvaluations,
  findingSite: SCT.findingSite,
  laterality: SCT.laterality,
  left: SCT.left,
  right: SCT.right,
  bilateral: SCT.bilateral,
  yes: SCT.yes,
  no: SCT.no,
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

/** Finding sites for the non-spine regions: SCT where DCMR has the structure, 99DEXA for DXA sub-regions it lacks. */
export const REGION_SITE_CODES: Partial<Record<Region, Code>> = {
  total_hip: SCT.hip,
  femoral_neck: dexa('FEMORAL-NECK', 'Femoral neck DXA region'),
  trochanter: dexa('TROCHANTER', 'Trochanter DXA region'),
  intertrochanter: dexa('INTERTROCHANTER', 'Intertrochanteric DXA region'),
  wards: dexa('WARDS', "Ward's triangle DXA region"),
  upper_neck: dexa('UPPER-NECK', 'Upper femoral neck DXA region'),
  lower_neck: dexa('LOWER-NECK', 'Lower femoral neck DXA region'),
  shaft: dexa('FEMORAL-SHAFT', 'Femoral shaft DXA region'),
  radius_33: dexa('RADIUS-33', 'Radius one-third (33 %) DXA region'),
  radius_mid: dexa('RADIUS-MID', 'Radius mid DXA region'),
  radius_ud: dexa('RADIUS-UD', 'Radius ultradistal DXA region'),
  radius_total: dexa('RADIUS-TOTAL', 'Radius total DXA region'),
};

export const LATERALITY_CODES: Record<'left' | 'right' | 'mean', Code> = {
  left: Codes.left,
  right: Codes.right,
  mean: Codes.bilateral,
};

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
