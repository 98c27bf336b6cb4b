import { join, sep } from 'node:path';
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
  const history = new PatientHistory();
  for (const { study, index } of order) {
    const result = await assess(study, history.priorsOf(study));
    assessed[index] = result;
    history.add(result);
  }
  return assessed;
}

interface Entry {
  date: string;
  prior: PriorStudy;
}

/**
 * The earlier studies of each patient among studies assessed oldest first, as the service finds
 * them in its store: a study's priors are the latest PRIORS_TO_LOAD of the same patient with an
 * earlier date, newest first. Only what the comparison needs of each is kept (PriorStudy), and
 * only as many as a later study can still be given, so a patient's history stays small however
 * many studies the run holds.
 */
export class PatientHistory {
  readonly #byPatient = new Map<string, Entry[]>();

  priorsOf(study: ExtractedStudy): PriorStudy[] {
    const key = patientKey(study);
    const entries = key === null ? [] : (this.#byPatient.get(key) ?? []);
    const date = study.study.studyDate ?? '';
    return entries
      .filter((entry) => entry.date < date)
      .slice(-PRIORS_TO_LOAD)
      .reverse()
      .map((entry) => entry.prior);
  }

  add(study: AssessedStudy): void {
    const key = patientKey(study);
    if (key === null) return;
    const date = study.study.studyDate ?? '';
    const entries = [...(this.#byPatient.get(key) ?? []), { date, prior: priorStudyOf(study) }];
    // a study read out of date order still lands where its date puts it (sort is stable)
    entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const newest = entries.at(-1)!.date;
    // a later study of the newest date is given the earlier ones; one of a later date, the newest ones too
    this.#byPatient.set(key, [...entries.filter((entry) => entry.date < newest).slice(-PRIORS_TO_LOAD), ...entries.filter((entry) => entry.date === newest).slice(-PRIORS_TO_LOAD)]);
  }
}

/** The studies of a folder outside its `priors/`: a fixture's own study, beside its earlier ones. */
export function studiesBesidePriors<T extends ExtractedStudy>(studies: T[], folder: string): T[] {
  const priors = join(folder, PRIORS_FOLDER) + sep;
  return studies.filter((study) => !study.instances.some((instance) => instance.file.startsWith(priors)));
}

/** Issuer and patient ID, never a name; none for a study without an ID or a date. */
export function patientKey(study: ExtractedStudy): string | null {
  return study.patient.id === null || study.study.studyDate === null ? null : JSON.stringify([study.patient.issuer, study.patient.id]);
}
