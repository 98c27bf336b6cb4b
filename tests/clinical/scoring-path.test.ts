import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import type { MenopausalStatus } from '../../src/model/clinical-context.ts';
import { bornYearsBefore, fullExam, studyWith } from '../helpers/study-builder.ts';

type Sex = 'female' | 'male';

// clinical-rules §4, every row, at the ages where the path changes
const ROWS: [string, Sex, number, MenopausalStatus, 'T' | 'Z' | 'paediatric', string[]][] = [
  ['girl of 19', 'female', 19, 'pre', 'paediatric', ['PAEDIATRIC']],
  ['boy of 19', 'male', 19, 'unknown', 'paediatric', ['PAEDIATRIC']],
  ['woman of 20, premenopausal', 'female', 20, 'pre', 'Z', []],
  ['man of 20', 'male', 20, 'unknown', 'Z', []],
  ['woman, postmenopausal, 45', 'female', 45, 'post', 'T', []],
  ['woman, perimenopausal, 47', 'female', 47, 'peri', 'T', []],
  ['woman, premenopausal, 52', 'female', 52, 'pre', 'Z', []],
  ['woman, status unknown, 49', 'female', 49, 'unknown', 'Z', ['MENOPAUSE_UNKNOWN']],
  ['woman, status unknown, 50', 'female', 50, 'unknown', 'T', ['MENOPAUSE_UNKNOWN']],
  ['man of 49', 'male', 49, 'unknown', 'Z', []],
  ['man of 50', 'male', 50, 'unknown', 'T', []],
];

describe('scoring path (clinical-rules §4)', () => {
  it.each(ROWS)('%s → %s path', (_name, sex, age, menopausalStatus, path, flags) => {
    const study = studyWith({ sex, birthDate: bornYearsBefore(age), rows: fullExam(-1.5, -0.5) });
    const result = classifyStudy(study, { menopausalStatus, fractureHistory: [] });
    expect(result.path).toBe(path);
    expect(result.age).toBe(age);
    const pathFlags = result.flags.map((f) => f.code).filter((code) => code === 'PAEDIATRIC' || code === 'MENOPAUSE_UNKNOWN');
    expect(pathFlags).toEqual(flags);
    expect(result.indexScore).toBe(path === 'T' ? -1.5 : -0.5);
  });

  it('a birthday on the study day counts: 50 that day is 50', () => {
    expect(classifyStudy(studyWith({ sex: 'male', birthDate: '1976-06-01', rows: fullExam(-1.5) })).path).toBe('T');
    expect(classifyStudy(studyWith({ sex: 'male', birthDate: '1976-06-02', rows: fullExam(-1.5) })).path).toBe('Z');
  });

  it('paediatric results are always held', () => {
    expect(classifyStudy(studyWith({ birthDate: bornYearsBefore(15), rows: fullExam(-1, -1) })).releasable).toBe(false);
  });

  it('missing sex or birth date is flagged and holds the letters', () => {
    const noSex = classifyStudy(studyWith({ sex: null, rows: fullExam(-1.5) }), { menopausalStatus: 'post', fractureHistory: [] });
    expect(noSex.flags.map((f) => f.code)).toContain('MISSING_SEX');
    expect(noSex.releasable).toBe(false);
    const noBirth = classifyStudy(studyWith({ birthDate: null, rows: fullExam(-1.5) }), { menopausalStatus: 'post', fractureHistory: [] });
    expect(noBirth.flags.map((f) => f.code)).toContain('MISSING_BIRTH_DATE');
    expect(noBirth.age).toBeNull();
    expect(noBirth.releasable).toBe(false);
  });
});
