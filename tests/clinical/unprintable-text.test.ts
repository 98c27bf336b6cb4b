import { describe, expect, it } from 'vitest';
import { classifyStudy } from '../../src/clinical/classify-study.ts';
import { ClinicalSettingsSchema } from '../../src/clinical/settings.ts';
import { unprintableTextFlag } from '../../src/clinical/unprintable-text.ts';
import { fullExam, studyWith } from '../helpers/study-builder.ts';

/** A stand-in for the letters' fonts: only ASCII can be printed. */
const asciiOnly = (text: string) => [...text].filter((c) => c > '\u007f');
const POST = { menopausalStatus: 'post' as const, fractureHistory: [] };

function named(family: string, id = 'P1', model = 'Lunar iDXA') {
  const study = studyWith({ rows: fullExam(-1.5) });
  return { ...study, patient: { ...study.patient, id, name: { family, given: 'Anna', middle: '', prefix: '', suffix: '' } }, study: { ...study.study, model } };
}

describe('UNPRINTABLE_TEXT', () => {
  it.each([
    ['a printable study', named('Jansen'), null],
    ['the family name', named('Jansén'), 'no letter font can print family name: U+00E9'],
    ['the patient ID', named('Jansen', 'P\u00e91'), 'no letter font can print patient ID: U+00E9'],
    ['the scanner', named('Jansen', 'P1', 'Lunar\u00ae'), 'no letter font can print scanner: U+00AE'],
  ])('%s', (_, study, message) => {
    expect(unprintableTextFlag(study, asciiOnly)?.message ?? null).toBe(message);
  });

  it('holds the study whatever the configured holding flags', () => {
    const result = classifyStudy(named('Jansén'), POST, ClinicalSettingsSchema.parse({ holdingFlags: [] }), [], asciiOnly);
    expect(result.holdingFlags).toEqual(['UNPRINTABLE_TEXT']);
    expect(result.releasable).toBe(false);
  });
});
