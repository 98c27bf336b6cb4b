import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { historyQualifies } from '../../src/clinical/fragility-fractures.ts';
import { ClinicalSettingsSchema } from '../../src/clinical/settings.ts';
import { FRACTURE_SITES, type FractureHistory } from '../../src/model/clinical-context.ts';
import { VFA_LEVELS } from '../../src/model/study.ts';
import { fullExam, studyWith, vertebra } from '../helpers/study-builder.ts';

const POST = { menopausalStatus: 'post' as const, fractureHistory: [] };
const vfaWith = (level: string, anterior: number) => VFA_LEVELS.map((l) => vertebra(l, l === level ? anterior : 20, 20, 20));

describe('fragility fractures (clinical-rules §6)', () => {
  it.each([
    [{ site: 'wrist', ageAtFracture: 50, energy: 'low' }, true],
    [{ site: 'wrist', ageAtFracture: 49, energy: 'low' }, false],
    [{ site: 'wrist', ageAtFracture: 60, energy: 'high' }, false],
    [{ site: 'wrist', ageAtFracture: 60, energy: 'unknown' }, false],
    [{ site: 'hip', date: '2011-06-01', energy: 'low' }, true], // born 1961-01-01: 50
    [{ site: 'hip', date: '2010-12-31', energy: 'low' }, false], // 49
    ...['face', 'skull', 'finger', 'toe', 'cervical_spine'].map((site) => [{ site, ageAtFracture: 70, energy: 'low' }, false] as const),
  ] as [FractureHistory, boolean][])('%j counts: %s', (fracture, counts) => {
    expect(historyQualifies(fracture, '1961-01-01')).toBe(counts);
  });

  it('knows every site it offers', () => {
    expect(FRACTURE_SITES).toContain('cervical_spine');
  });

  it('a VFA grade 2 fracture makes T −2.5 severe osteoporosis; a grade 1 does not, but is flagged', () => {
    const grade2 = classifyStudy(studyWith({ rows: fullExam(-2.5), vfa: vfaWith('T10', 14) }), POST);
    expect(grade2.category).toBe('severe_osteoporosis');
    expect(grade2.fragilityFractures).toEqual([{ source: 'vfa', site: 'T10', grade: 2, date: null }]);
    const grade1 = classifyStudy(studyWith({ rows: fullExam(-2.5), vfa: vfaWith('T10', 15.5) }), POST);
    expect(grade1.category).toBe('osteoporosis');
    expect(grade1.flags.map((f) => f.code)).toContain('MILD_VERTEBRAL_FRACTURE');
    expect(grade1.releasable).toBe(false);
  });

  it('the minimum grade that counts is configurable', () => {
    const settings = ClinicalSettingsSchema.parse({ minimumCountingGrade: 1 });
    expect(classifyStudy(studyWith({ rows: fullExam(-2.5), vfa: vfaWith('T10', 15.5) }), POST, settings).category).toBe('severe_osteoporosis');
    const strict = ClinicalSettingsSchema.parse({ minimumCountingGrade: 3 });
    expect(classifyStudy(studyWith({ rows: fullExam(-2.5), vfa: vfaWith('T10', 14) }), POST, strict).category).toBe('osteoporosis');
  });

  it('a VFA fracture in L1–L4 suggests excluding that vertebra', () => {
    const result = classifyStudy(studyWith({ rows: fullExam(-2.0), vfa: vfaWith('L3', 14) }), POST);
    expect(result.flags.filter((f) => f.code === 'SPINE_EXCLUSION_SUGGESTED').map((f) => f.message)).toEqual([
      'L3 has a grade 2 vertebral fracture on VFA; consider excluding it from the spine analysis',
    ]);
  });
});

describe('human review (clinical-rules §8)', () => {
  const unknownMenopause = studyWith({ rows: fullExam(-1.5) });

  it('holds letters for a review flag and releases them without one', () => {
    expect(classifyStudy(unknownMenopause).releasable).toBe(false);
    expect(classifyStudy(unknownMenopause, POST).releasable).toBe(true);
  });

  it('information flags never hold letters', () => {
    const boundary = classifyStudy(studyWith({ rows: fullExam(-1.0) }), POST);
    expect(boundary.flags.map((f) => [f.code, f.severity])).toEqual([['BOUNDARY', 'info']]);
    expect(boundary.releasable).toBe(true);
  });

  it('which flags hold is configurable, and the classification names the ones that did', () => {
    const settings = ClinicalSettingsSchema.parse({ holdingFlags: ['PAEDIATRIC'] });
    const released = classifyStudy(unknownMenopause, undefined, settings);
    expect(released.releasable).toBe(true);
    expect(released.holdingFlags).toEqual([]);
    expect(released.flags.map((f) => f.code)).toContain('MENOPAUSE_UNKNOWN');
    expect(classifyStudy(unknownMenopause).holdingFlags).toEqual(['MENOPAUSE_UNKNOWN']);
  });

  it('names a holding flag once, however often it was raised', () => {
    const rows = fullExam(-2.0).map((row) => (row[0] === 'L2' ? (['L2', null, 0.0, 0] as typeof row) : row));
    const result = classifyStudy(studyWith({ rows, vfa: vfaWith('L4', 14) }), POST);
    expect(result.flags.filter((f) => f.code === 'SPINE_EXCLUSION_SUGGESTED')).toHaveLength(2);
    expect(result.holdingFlags).toEqual(['SPINE_EXCLUSION_SUGGESTED']);
  });

  it('a study with extraction errors is always held, whatever the configuration', () => {
    const settings = ClinicalSettingsSchema.parse({ holdingFlags: [] });
    const broken = studyWith({ rows: fullExam(-1.5), errors: [{ code: 'CONFLICTING_VALUES', message: 'two values for L1-L4' }] });
    const result = classifyStudy(broken, POST, settings);
    expect(result.flags.map((f) => f.code)).toContain('EXTRACTION_ERRORS');
    expect(result.releasable).toBe(false);
  });

  it('refuses an unknown flag name in the configuration', () => {
    expect(() => ClinicalSettingsSchema.parse({ holdingFlags: ['NOT_A_FLAG'] })).toThrow();
  });
});

describe('release policy', () => {
  it('review-all holds a study that nothing else would hold, whatever the holding flags; protocol releases it', () => {
    const study = studyWith({ rows: fullExam(-0.5) });
    const byProtocol = classifyStudy(study, POST);
    expect(byProtocol.releasable).toBe(true);
    expect(byProtocol.flags.map((f) => f.code)).not.toContain('REVIEW_ALL');
    const reviewAll = classifyStudy(study, POST, ClinicalSettingsSchema.parse({ release: 'review-all', holdingFlags: [] }));
    expect(reviewAll.releasable).toBe(false);
    expect(reviewAll.holdingFlags).toEqual(['REVIEW_ALL']);
    expect(reviewAll.category).toBe(byProtocol.category);
  });
});
