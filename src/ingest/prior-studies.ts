import { MAX_TREND_PRIORS } from '../clinical/bmd-trend.ts';
import type { PriorStudy } from '../clinical/compare-prior.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { ExtractedStudy } from '../model/study.ts';

/** The folder beside a study's exports that holds its earlier studies, one folder each (fixtures, QA). */
export const PRIORS_FOLDER = 'priors';

/**
 * How many earlier studies are looked up for a new one: the trend's reach, and as many again for
 * earlier studies on another scanner type, which the trend leaves out.
 */
export const PRIORS_TO_LOAD = 2 * MAX_TREND_PRIORS;

/** What §7 needs of an earlier, classified study of the patient. */
export function priorStudyOf(prior: AssessedStudy): PriorStudy {
  return {
    studyInstanceUid: prior.study.studyInstanceUid,
    studyDate: prior.study.studyDate ?? '',
    manufacturer: prior.study.manufacturer,
    model: prior.study.model,
    category: prior.classification.category,
    measurements: prior.measurements,
  };
}

/**
 * Assesses studies read together (`dexa render`, `dexa qa`) oldest first, each with the earlier
 * ones of the same patient as its priors, as the service does with the studies in its store. Only
 * a patient ID with its issuer ties studies together, never a name; a study without a date or an
 * ID has no priors and is no one's prior. The results come back in the order given.
 */
export async function assessWithPriors(
  studies: ExtractedStudy[],
  assess: (study: ExtractedStudy, priors: PriorStudy[]) => Promise<AssessedStudy>,
): Promise<AssessedStudy[]> {
  const order = studies.map((study, index) => ({ study, index })).sort((a, b) => (a.study.study.studyDate ?? '').localeCompare(b.study.study.studyDate ?? ''));
  const assessed: AssessedStudy[] = [];
  const done: AssessedStudy[] = [];
  for (const { study, index } of order) {
    const priors = done
      .filter((earlier) => samePatient(earlier, study) && (earlier.study.studyDate ?? '') < (study.study.studyDate ?? ''))
      .sort((a, b) => (b.study.studyDate ?? '').localeCompare(a.study.studyDate ?? ''))
      .slice(0, PRIORS_TO_LOAD);
    const result = await assess(study, priors.map(priorStudyOf));
    assessed[index] = result;
    done.push(result);
  }
  return assessed;
}

function samePatient(a: ExtractedStudy, b: ExtractedStudy): boolean {
  return a.patient.id !== null && a.study.studyDate !== null && b.study.studyDate !== null && a.patient.id === b.patient.id && a.patient.issuer === b.patient.issuer;
}
