import { EMPTY_CONTEXT, type ClinicalContext } from '../model/clinical-context.ts';
import { isVertebra } from '../model/regions.ts';
import type { ExtractedStudy } from '../model/study.ts';
import { ageInYears } from './age.ts';
import { boundaryFlag, categorise, nhgBinary, secondaryCauseFlag } from './category.ts';
import type { Classification, DiagnosticValue } from '../model/classification.ts';
import { diagnosticValues } from './diagnostic-regions.ts';
import { flag, type Flag } from '../model/flags.ts';
import { fragilityFractures } from './fragility-fractures.ts';
import { bmdTrend } from './bmd-trend.ts';
import { comparePrior, type PriorStudy } from './compare-prior.ts';
import { assessVertebrae } from './genant.ts';
import { holdingFlags } from './review.ts';
import { chooseScoringPath } from './scoring-path.ts';
import { DEFAULT_CLINICAL_SETTINGS, type ClinicalSettings } from './settings.ts';
import { spineExclusionSuggestions } from './spine-validity.ts';
import { toTenths } from './score-tenths.ts';
import { NOTHING_UNPRINTABLE, unprintableTextFlag, type UnprintableFinder } from './unprintable-text.ts';
import { vendorCategoryFlag } from './vendor-category.ts';

/**
 * The canonical study (+ clinical context) → its one classification. Pure: no I/O, no clock.
 * `unprintable` says which characters the letters cannot print (the letters' fonts know).
 */
export function classifyStudy(
  study: ExtractedStudy,
  context: ClinicalContext = EMPTY_CONTEXT,
  settings: ClinicalSettings = DEFAULT_CLINICAL_SETTINGS,
  priors: PriorStudy[] = [],
  unprintable: UnprintableFinder = NOTHING_UNPRINTABLE,
): Classification {
  const flags: Flag[] = [...inputFlags(study, context)];
  const unprintableText = unprintableTextFlag(study, unprintable, context);
  if (unprintableText) flags.push(unprintableText);
  const age = ageInYears(study.patient.birthDate, study.study.studyDate);

  const choice = chooseScoringPath(study.patient.sex, age, context.menopausalStatus);
  flags.push(...choice.flags);
  const kind = choice.path === 'T' ? 'tScore' : 'zScore';
  const selection = diagnosticValues(study.measurements, kind);
  flags.push(...selection.flags, ...spineExclusionSuggestions(study.measurements));

  const vertebrae = assessVertebrae(study.vfa);
  const vertebralFractures = vertebrae.filter((v) => v.grade !== null && v.grade >= 1);
  for (const v of vertebrae) {
    if (v.readerGrade !== null && v.computedGrade !== null && v.readerGrade !== v.computedGrade) {
      const details = { readerGrade: v.readerGrade, computedGrade: v.computedGrade, ...(v.reductionPercent === null ? {} : { reductionPercent: v.reductionPercent }) };
      flags.push(flag('VFA_GRADE_DIFFERS', `${v.level}: reader grade ${v.readerGrade}, heights give grade ${v.computedGrade} (${v.reductionPercent} % ${v.shape ?? 'reduction'})`, v.level, { details }));
    }
  }
  for (const v of vertebralFractures) {
    if (v.grade === 1) flags.push(flag('MILD_VERTEBRAL_FRACTURE', `${v.level}: mild (grade 1) vertebral fracture`, v.level));
    if (isVertebra(v.level)) {
      const message = `${v.level} has a grade ${v.grade} vertebral fracture on VFA; consider excluding it from the spine analysis`;
      flags.push(flag('SPINE_EXCLUSION_SUGGESTED', message, v.level, { variant: 'fracture', details: { grade: v.grade as number } }));
    }
  }
  const fragility = fragilityFractures(vertebrae, context.fractureHistory, study.patient.birthDate, settings.minimumCountingGrade);

  const index = lowest(selection.values);
  if (!index) flags.push(flag('NO_DIAGNOSTIC_REGION', 'no region that may be used for diagnosis holds a score'));
  else if (new Set(selection.values.map((value) => value.site)).size === 1) {
    flags.push(flag('SINGLE_SITE_ONLY', `only the ${selection.values[0]?.site} could be used for diagnosis`));
  }
  const category = index ? categorise(choice.path, index.score, fragility.length > 0) : null;
  if (index) {
    const boundary = boundaryFlag(choice.path, index.score);
    if (boundary) flags.push(boundary);
  }
  const zValues = choice.path === 'T' ? diagnosticValues(study.measurements, 'zScore').values : selection.values;
  const secondary = secondaryCauseFlag(zValues);
  if (secondary) flags.push(secondary);
  if (choice.path === 'T') {
    const vendor = vendorCategoryFlag(study.study.vendorCategory, category);
    if (vendor) flags.push(vendor);
  }
  const prior = latestPrior(priors);
  const compared = prior ? comparePrior({ ...study.study, measurements: study.measurements }, prior, settings) : null;
  if (compared) flags.push(...compared.flags);

  if (settings.release === 'review-all') flags.push(flag('REVIEW_ALL', 'the department reviews every study before its letters go out'));
  const holding = holdingFlags(flags, settings);
  return {
    category,
    path: choice.path,
    age,
    indexRegion: index?.region ?? null,
    indexSide: index?.side ?? null,
    indexScore: index?.score ?? null,
    nhgBinary: index ? nhgBinary(choice.path, index.score) : null,
    diagnosticValues: selection.values.map(({ region, side, score }) => ({ region, side, score })),
    vertebrae,
    vertebralFractures,
    fragilityFractures: fragility,
    flags,
    comparison: compared?.comparison ?? null,
    trend: bmdTrend({ ...study.study, measurements: study.measurements }, selection.values, priors, settings),
    holdingFlags: holding,
    releasable: holding.length === 0,
  };
}

/** §7 compares with the latest earlier study; the others only draw the trend. */
function latestPrior(priors: PriorStudy[]): PriorStudy | null {
  return priors.reduce<PriorStudy | null>((latest, prior) => (latest === null || prior.studyDate > latest.studyDate ? prior : latest), null);
}

function inputFlags(study: ExtractedStudy, context: ClinicalContext): Flag[] {
  const flags: Flag[] = [];
  if (study.errors.length > 0) flags.push(flag('EXTRACTION_ERRORS', study.errors.map((e) => e.message).join('; ')));
  // Without the scanner's own copy a flipped digit or a damaged item name cannot be told from a real value.
  const unchecked = study.warnings.filter((warning) => warning.code === 'NO_XML_COPY' || warning.code === 'NO_SECOND_COPY');
  if (unchecked.length > 0) {
    flags.push(flag('UNVERIFIED_VALUES', `values not cross-checked against a second copy in the export: ${unchecked.map((w) => `${w.file ?? 'an instance'} (${w.message})`).join('; ')}`));
  }
  if (study.patient.sex !== 'female' && study.patient.sex !== 'male') {
    flags.push(flag('MISSING_SEX', study.patient.sex === null ? 'sex is not recorded' : `sex is recorded as '${study.patient.sex}', not female or male`));
  }
  if (study.patient.birthDate === null) flags.push(flag('MISSING_BIRTH_DATE', 'birth date is not recorded'));
  if (study.study.studyDate === null) flags.push(flag('MISSING_STUDY_DATE', 'study date is not recorded'));
  // the GP letter is addressed to the GP the context names, else to the referring physician: without either it has nowhere to go
  if (!study.study.referringPhysician && context.gp === undefined) flags.push(flag('NO_ADDRESSEE', 'no referring physician (ReferringPhysicianName) is recorded and no GP is given'));
  return flags;
}

/** The lowest score; on a tie, the first in reporting order (spine, hip, forearm). */
function lowest(values: DiagnosticValue[]): DiagnosticValue | undefined {
  return values.reduce<DiagnosticValue | undefined>(
    (best, value) => (best === undefined || toTenths(value.score) < toTenths(best.score) ? value : best),
    undefined,
  );
}
