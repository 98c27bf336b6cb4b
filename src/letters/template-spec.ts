/**
 * What a template folder must hold: per file, every key, and the `item.*` names that key may use
 * besides the names every key may use. Validation against this table turns a typo in a template
 * into an error naming file and key before any letter is written.
 */
import { GP_ADVICE_IDS, NEXT_STEP_IDS, PATIENT_ADVICE_IDS } from '../clinical/advice.ts';
import { FLAG_CODES, FLAG_DETAILS, FLAG_VARIANTS, type FlagCode } from '../model/flags.ts';
import { FRACTURE_SITES } from '../model/clinical-context.ts';

export const TEMPLATE_FILES = ['common', 'gp', 'patient'] as const;
export type TemplateFile = (typeof TEMPLATE_FILES)[number];

/** Names available to every template: the letter view (see letter-view.ts). */
export const VIEW_NAMES = [
  'department.name', 'department.hospital', 'department.phone', 'department.phoneHours', 'department.email', 'department.address',
  'signature.name', 'signature.title',
  'letter.date',
  'patient.reference', 'patient.salutationName', 'patient.birthDate', 'patient.id', 'patient.age',
  'study.date', 'study.accession', 'study.scanner', 'study.sites', 'study.patientSites',
  'result.indexScore', 'result.indexRegion', 'result.fractures',
  'vfa.assessed', 'vfa.notEvaluable', 'vfa.where', 'vfa.count',
  'followUp.years', 'followUp.date',
  'comparison.priorDate', 'comparison.priorCategory', 'comparison.changedRegions',
] as const;

const none: readonly string[] = [];
/** Regions that are never diagnostic but may be listed under the GP letter's table. */
const OTHER_REGIONS = ['trochanter', 'intertrochanter', 'wards', 'upper_neck', 'lower_neck', 'shaft', 'radius_mid', 'radius_ud', 'radius_total'];
/** The parts of the patient's name (letter-view.ts, dutch-name.ts). */
const NAME_ITEMS = ['item.name', 'item.initials', 'item.tussenvoegsel', 'item.family', 'item.familyCapitalised', 'item.given'];
const keys = (names: readonly string[], items: readonly string[] = none) => Object.fromEntries(names.map((name) => [name, items]));
const CATEGORY_KEYS = ['normal', 'osteopenia', 'osteoporosis', 'severe_osteoporosis', 'below_expected_for_age', 'within_expected_for_age', 'none'];

/** One sentence per flag, or per variant of a flag; each may name the flag's subject and details. */
function flagKeys(): Record<string, readonly string[]> {
  const entries: [string, readonly string[]][] = [];
  for (const code of FLAG_CODES) {
    const items = ['item.subject', ...((FLAG_DETAILS as Partial<Record<FlagCode, readonly string[]>>)[code] ?? []).map((name) => `item.${name}`)];
    const variants = (FLAG_VARIANTS as Partial<Record<FlagCode, readonly string[]>>)[code];
    if (variants) for (const variant of variants) entries.push([`flags.${code}.${variant}`, items]);
    else entries.push([`flags.${code}`, items]);
  }
  return Object.fromEntries(entries);
}

export const TEMPLATE_SPEC: Record<TemplateFile, Record<string, readonly string[]>> = {
  common: {
    ...keys(['patientReference.female', 'patientReference.male', 'patientReference.unknown', 'salutationName.female', 'salutationName.male', 'salutationName.unknown'], NAME_ITEMS),
    'regions.spine': ['item.range'],
    ...keys(['regions.femoral_neck', 'regions.total_hip', 'regions.radius_33', ...OTHER_REGIONS.map((region) => `regions.${region}`), 'sides.left', 'sides.right', 'sides.mean']),
    ...keys(['patientSites.spine', 'patientSites.hip', 'patientSites.bothHips', 'patientSites.forearm', 'patientSites.and']),
    ...keys(['gpSites.spine', 'gpSites.hip', 'gpSites.bothHips', 'gpSites.forearm', 'gpSites.and']),
    'fracture.vertebral': ['item.level'],
    'fracture.history': ['item.site', 'item.year'],
    ...keys(FRACTURE_SITES.map((site) => `fractureSites.${site}`)),
    ...keys(['categories.normal', 'categories.osteopenia', 'categories.osteoporosis', 'categories.severe_osteoporosis', 'categories.below_expected_for_age', 'categories.within_expected_for_age']),
    ...keys(['genantGrades.1', 'genantGrades.2', 'genantGrades.3']),
    ...flagKeys(),
    ...keys(['addressee.gp', 'addressee.patient.female', 'addressee.patient.male', 'addressee.patient.unknown'], NAME_ITEMS),
    dateLine: none,
    reference: none,
    continuation: none,
    page: ['item.page', 'item.pages'],
    draft: none,
    ...keys(['signOff.protocol', 'signOff.draft']),
    'signOff.approved': ['item.by', 'item.date'],
    watermark: none,
    ...keys(['scale.zones.normal', 'scale.zones.osteopenia', 'scale.zones.osteoporosis']),
    'scale.marker': ['item.kind', 'item.score', 'item.region'],
    'scale.severe': ['item.fractures'],
    'scale.patient.marker': ['item.kind', 'item.score', 'item.region'],
    'scale.patient.severe': none,
    ...keys(['scale.beyond.low', 'scale.beyond.high'], ['item.score']),
    'scale.alt': ['item.kind', 'item.score', 'item.region', 'item.category', 'item.from', 'item.to'],
    'trend.change': ['item.delta'],
    ...keys(['trend.legend.significant', 'trend.legend.notSignificant', 'trend.legend.lsc']),
    'trend.altValue': ['item.bmd', 'item.date'],
    'trend.altChange': ['item.delta', 'item.since'],
    'trend.alt': ['item.series'],
  },
  gp: {
    ...keys(['title', 'subject', 'salutation', 'intro', 'closing', 'flagsHeading']),
    ...keys(['table.heading', 'table.region', 'table.side', 'table.bmd', 'table.tScore', 'table.zScore', 'table.indexNote', 'table.noTScores.Z', 'table.noTScores.paediatric']),
    'table.otherRegions': ['item.regions'],
    ...keys(['table.otherRegion', 'table.otherRegionZ'], ['item.region', 'item.t', 'item.z']),
    ...keys(['diagnosis.heading', 'diagnosis.zScoresUsed', ...CATEGORY_KEYS.map((key) => `diagnosis.${key}`)]),
    ...keys(['nhg.osteoporose', 'nhg.geen_osteoporose']),
    ...keys(['vfa.heading', 'vfa.notDone', 'vfa.assessed', 'vfa.notEvaluable', 'vfa.noFracture']),
    'vfa.fracture': ['item.level', 'item.grade', 'item.gradeWord'],
    ...keys(['advice.heading', ...GP_ADVICE_IDS.map((id) => `advice.${id}`)]),
    ...keys(['followUp.years', 'followUp.none']),
    ...keys(['comparison.heading', 'comparison.intro', 'comparison.region', 'comparison.side', 'comparison.prior', 'comparison.current', 'comparison.change', 'comparison.changePercent', 'comparison.assessment']),
    ...keys(['frax.heading', 'frax.label']),
    ...keys(['frax.withoutPriorFracture', 'frax.withPriorFracture'], ['item.major', 'item.hip']),
    'frax.riskFactors': ['item.riskFactors'],
    'frax.notReported': ['item.reason'],
    'trend.heading': none,
    'trend.intro': ['item.since'],
    ...keys(['comparison.significantDecrease', 'comparison.significantIncrease', 'comparison.noSignificantChange', 'comparison.summaryNoChange', 'comparison.summaryChange', 'comparison.notQuantitative']),
  },
  patient: {
    ...keys(['title', 'subject', 'salutation', 'intro', 'contact', 'closing']),
    ...keys(['result.heading', ...CATEGORY_KEYS.map((key) => `result.${key}`), 'result.normalWithFracture', 'result.osteopeniaWithFracture']),
    ...keys(['vfa.heading', 'vfa.noFracture', 'vfa.noFracturePartly', 'vfa.fracture', 'vfa.fractures', 'vfa.partly', 'vfa.explanation', 'vfa.and']),
    ...keys(['vfa.places.thoracic', 'vfa.places.lumbar']),
    ...keys(['next.heading', 'next.gp', ...NEXT_STEP_IDS.map((id) => `next.${id}`), 'next.followUp', 'next.followUpNone']),
    ...keys(['lifestyle.heading', 'lifestyle.intro', ...PATIENT_ADVICE_IDS.map((id) => `lifestyle.${id}`)]),
    ...keys(['appendix.heading', 'appendix.tScore', 'appendix.zScore']),
  },
};

/** Keys that hold a list of plain words rather than one template. */
export const LIST_KEYS: Partial<Record<TemplateFile, Record<string, number>>> = { common: { months: 12 } };
