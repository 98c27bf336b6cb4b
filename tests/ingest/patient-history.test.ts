import { describe, expect, it } from 'vitest';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { PatientHistory, PRIORS_TO_LOAD } from '../../src/ingest/prior-studies.ts';

/** Just what the history reads of a study. */
function study(uid: string, patientId: string | null, studyDate: string | null): AssessedStudy {
  return {
    patient: { id: patientId, issuer: null },
    study: { studyInstanceUid: uid, studyDate, manufacturer: 'GE Healthcare', model: 'Lunar iDXA' },
    measurements: [],
    classification: { category: null },
  } as unknown as AssessedStudy;
}

describe('a patient\'s earlier studies, kept as priors', () => {
  it('gives the latest earlier ones, newest first, however many the patient has', () => {
    const history = new PatientHistory();
    for (let year = 2000; year < 2020; year++) history.add(study(`1.${year}`, 'P', `${year}-01-01`));
    const priors = history.priorsOf(study('1.2020', 'P', '2020-01-01'));
    expect(priors.map((prior) => prior.studyDate)).toEqual(Array.from({ length: PRIORS_TO_LOAD }, (_, i) => `${2019 - i}-01-01`));
  });

  it('a study of the same day is no prior; nor is another patient\'s; a study without ID or date has none', () => {
    const history = new PatientHistory();
    history.add(study('1.1', 'P', '2024-01-01'));
    history.add(study('1.2', 'P', '2025-01-01'));
    history.add(study('1.3', 'Q', '2020-01-01'));
    expect(history.priorsOf(study('1.4', 'P', '2025-01-01')).map((prior) => prior.studyInstanceUid)).toEqual(['1.1']);
    expect(history.priorsOf(study('1.5', 'P', '2026-01-01')).map((prior) => prior.studyInstanceUid)).toEqual(['1.2', '1.1']);
    expect(history.priorsOf(study('1.6', null, '2026-01-01'))).toEqual([]);
    expect(history.priorsOf(study('1.7', 'P', null))).toEqual([]);
  });

  it('still gives a later study of the newest day the earlier days, after many of that day', () => {
    const history = new PatientHistory();
    history.add(study('1.1', 'P', '2024-01-01'));
    for (let n = 0; n < 3 * PRIORS_TO_LOAD; n++) history.add(study(`2.${n}`, 'P', '2025-01-01'));
    expect(history.priorsOf(study('3', 'P', '2025-01-01')).map((prior) => prior.studyInstanceUid)).toEqual(['1.1']);
  });
});
