import { describe, expect, it } from 'vitest';
import { menopauseFromScanner } from '../../src/clinical/scanner-menopause.ts';
import type { Patient } from '../../src/model/study.ts';

type Case = [what: string, menopauseAge: number | null, ageAtScan: number | null, sex: Patient['sex'], status: 'post' | null, warning: string | null];

describe("the menopausal status from the scanner's age at menopause", () => {
  it.each<Case>([
    ['one year below her age at the scan', 61, 62, 'female', 'post', null],
    ['well below her age', 50, 62, 'female', 'post', null],
    ['equal to her age at the scan', 62, 62, 'female', null, "not below the patient's age at the scan (62)"],
    ['above her age at the scan', 63, 62, 'female', null, "not below the patient's age at the scan (62)"],
    ['a fraction below her whole age is not below it', 61.5, 61, 'female', null, "not below the patient's age at the scan (61)"],
    ['not given', null, 62, 'female', null, null],
    ['not given, for a man', null, 62, 'male', null, null],
    ['given for a man', 50, 62, 'male', null, 'for a man'],
    ['given when the sex is not recorded', 50, 62, null, null, 'does not record the patient as female'],
    ['given for a patient recorded as other', 50, 62, 'other', null, 'does not record the patient as female'],
    ['the lowest plausible age', 20, 62, 'female', 'post', null],
    ['below the lowest plausible age', 19, 62, 'female', null, 'not a plausible age at menopause (20 to 70)'],
    ['the highest plausible age', 70, 75, 'female', 'post', null],
    ['above the highest plausible age', 71, 80, 'female', null, 'not a plausible age at menopause (20 to 70)'],
    ['zero', 0, 62, 'female', null, 'not a plausible age at menopause'],
    ["her age at the scan unknown", 50, null, 'female', null, "the patient's age at the scan is not known"],
  ])('%s: MenopauseAge %s at age %s (%s)', (_what, menopauseAge, ageAtScan, sex, status, warning) => {
    const result = menopauseFromScanner(menopauseAge, ageAtScan, sex);
    expect(result.status).toBe(status);
    if (warning === null) expect(result.problem).toBeNull();
    else {
      expect(result.problem).toEqual({ code: 'SCANNER_MENOPAUSE_NOT_USED', message: expect.stringContaining(warning) as string });
      expect(result.problem?.message).toContain(`MenopauseAge ${menopauseAge}`);
      expect(result.problem?.message).toContain('no menopausal status taken from the scanner');
    }
  });
});
