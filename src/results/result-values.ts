/**
 * What the hospital's record receives of a study, whatever the message: one value per measured
 * quantity (BMD, T-score, Z-score per region and side), coded in LOINC where LOINC has a code for
 * the site, else in a local code under the department's own system; the category and the NHG
 * statement. HL7 v2 (hl7-oru.ts) and FHIR R4 (fhir-bundle.ts) both write these, in the same order.
 *
 * LOINC DXA codes by skeletal site come from the profile's table (LOINC_BY_SITE): LOINC 2.7x, as listed by OHDSI Themis (DXA bone density
 * conventions) and the US Core examples; each checked digit by digit, with its check digit, on
 * loinc.org. LOINC has no laterality in these codes: the side is a modifier (FHIR
 * Observation.bodySite with a SNOMED CT laterality; HL7 v2 OBX-4 sub-ID and the OBX-20 body site).
 */
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { Category, ScoringPath } from '../model/classification.ts';
import { isSpineRange, isVertebra, regionOrder, sideOrder, type Region, type Side } from '../model/regions.ts';
import type { Measurement } from '../model/study.ts';
import { categorise } from '../clinical/category.ts';
import { LOINC_BY_SITE } from '../dicom/coding.ts';

export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

export type Quantity = 'bmd' | 'tScore' | 'zScore';
export const QUANTITIES: readonly Quantity[] = ['bmd', 'tScore', 'zScore'];

export interface LoincCode {
  code: string;
  display: string;
}

type LoincSite = keyof typeof LOINC_BY_SITE;

/** LOINC DXA codes per site: the one table the DICOM profile uses too, as code and display. */
export const RESULT_LOINC = Object.fromEntries(
  Object.entries(LOINC_BY_SITE).map(([site, codes]) => [
    site,
    Object.fromEntries(QUANTITIES.map((quantity) => [quantity, { code: codes[quantity].value, display: codes[quantity].meaning }])),
  ]),
) as Record<LoincSite, Record<Quantity, LoincCode>>;

/** LOINC 38269-7: DXA Bone density study report (the DiagnosticReport's code). */
export const DXA_REPORT_LOINC: LoincCode = { code: '38269-7', display: 'DXA Bone density' };

/**
 * The LOINC site of a region, or null where no LOINC code means exactly that region: the combined
 * spine L1-L4 (LOINC's lumbar spine), the total hip, the femoral neck (LOINC's femur, as DXA
 * reports use it) and the one-third radius (the forearm site the diagnosis uses). Single
 * vertebrae, partial spine ranges, the other hip and forearm sub-regions get the department's
 * local code, with their SNOMED CT body site: a receiver that takes "the" lumbar spine or femur
 * value by its LOINC code must never find a Ward's triangle or a single vertebra under it.
 */
export function loincSiteOf(region: Region): keyof typeof RESULT_LOINC | null {
  if (region === 'L1-L4') return 'lumbarSpine';
  if (region === 'total_hip') return 'hip';
  if (region === 'femoral_neck') return 'femur';
  if (region === 'radius_33') return 'forearm';
  return null;
}

/** SNOMED CT body sites (DICOM CID 4031 and the anatomy hierarchy) and lateralities (CID 244). */
export const SNOMED_SITES: Record<string, { code: string; display: string }> = {
  spine: { code: '122496007', display: 'Lumbar spine structure' },
  L1: { code: '66794005', display: 'L1 vertebra' },
  L2: { code: '14293000', display: 'L2 vertebra' },
  L3: { code: '36470004', display: 'L3 vertebra' },
  L4: { code: '11994002', display: 'L4 vertebra' },
  hip: { code: '29836001', display: 'Hip' },
  femur: { code: '71341001', display: 'Bone structure of femur' },
  forearm: { code: '14975008', display: 'Forearm' },
};
export const SNOMED_LATERALITY: Record<'left' | 'right' | 'mean', { code: string; display: string }> = {
  left: { code: '7771000', display: 'Left' },
  right: { code: '24028007', display: 'Right' },
  mean: { code: '51440002', display: 'Right and left' },
};

export function snomedSiteOf(region: Region): { code: string; display: string } {
  if (isVertebra(region)) return SNOMED_SITES[region]!;
  if (isSpineRange(region)) return SNOMED_SITES['spine']!;
  if (region === 'total_hip') return SNOMED_SITES['hip']!;
  if (region.startsWith('radius')) return SNOMED_SITES['forearm']!;
  return SNOMED_SITES['femur']!;
}

export const UNITS: Record<Quantity, { code: string; hl7: string }> = {
  bmd: { code: 'g/cm2', hl7: 'g/cm2' },
  tScore: { code: '{T-score}', hl7: '{T-score}' },
  zScore: { code: '{Z-score}', hl7: '{Z-score}' },
};

const QUANTITY_NAMES: Record<Quantity, string> = { bmd: 'BMD', tScore: 'T-score', zScore: 'Z-score' };

/** How a value is read against its path's cut-offs; null when it is not one the diagnosis used. */
export interface ValueInterpretation {
  code: Category;
  display: string;
}

export interface ResultValue {
  region: Region;
  side: Side;
  quantity: Quantity;
  value: number;
  /** LOINC when the site has one, else null (the value carries its local code) */
  loinc: LoincCode | null;
  /** the department's own code, always given: `<quantity>-<region>[-<side>]` */
  localCode: string;
  localDisplay: string;
  /** the score the diagnosis used at this site, read against its path; null for every other value */
  interpretation: ValueInterpretation | null;
  /** unique within the study: `<region>/<side>/<quantity>` */
  key: string;
}

export const CATEGORY_DISPLAY: Record<Category, string> = {
  normal: 'Normal bone density (WHO)',
  osteopenia: 'Osteopenia (WHO)',
  osteoporosis: 'Osteoporosis (WHO)',
  severe_osteoporosis: 'Severe (established) osteoporosis (WHO)',
  below_expected_for_age: 'Below the expected range for age (Z-score)',
  within_expected_for_age: 'Within the expected range for age (Z-score)',
};

/** The scores that apply on a path: T-scores only on the T path (the GP letter leaves them out otherwise). */
export function quantitiesOn(path: ScoringPath): Quantity[] {
  return path === 'T' ? ['bmd', 'tScore', 'zScore'] : ['bmd', 'zScore'];
}

function sorted(measurements: Measurement[]): Measurement[] {
  return [...measurements].sort((a, b) => regionOrder(a.region) - regionOrder(b.region) || sideOrder(a.side) - sideOrder(b.side));
}

/**
 * Every value of the study that goes out, in reporting order. On the Z and paediatric paths no
 * T-score is sent: T-scores do not apply to the patient, and nothing may read them as a diagnosis.
 * The scores the diagnosis used carry their interpretation (the WHO category on the T path, the
 * comparison with age on the others).
 */
export function resultValues(study: AssessedStudy): ResultValue[] {
  const c = study.classification;
  const scoreKind: Quantity = c.path === 'T' ? 'tScore' : 'zScore';
  const used = (m: Measurement) => c.diagnosticValues.find((d) => d.region === m.region && d.side === m.side) ?? null;
  const values: ResultValue[] = [];
  for (const m of sorted(study.measurements)) {
    for (const quantity of quantitiesOn(c.path)) {
      const value = m[quantity];
      if (value === null) continue;
      const site = loincSiteOf(m.region);
      const sideText = m.side === null ? '' : `-${m.side}`;
      const diagnostic = quantity === scoreKind ? used(m) : null;
      const category = diagnostic === null ? null : categorise(c.path, value, false);
      values.push({
        region: m.region,
        side: m.side,
        quantity,
        value,
        loinc: site === null ? null : RESULT_LOINC[site][quantity],
        localCode: `${quantity}-${m.region}${sideText}`,
        localDisplay: `DXA ${m.region}${m.side === null ? '' : ` ${m.side}`} ${QUANTITY_NAMES[quantity]}`,
        interpretation: category === null ? null : { code: category, display: CATEGORY_DISPLAY[category] },
        key: `${m.region}/${m.side ?? 'none'}/${quantity}`,
      });
    }
  }
  return values;
}

/** The number exactly as exported and stored, with a decimal point. */
export function formatValue(value: ResultValue): string {
  return String(value.value);
}
