import { ProblemCode, type Problem } from '../model/problems.ts';
import type { Patient } from '../model/study.ts';

/** The ages at menopause taken as written; outside them the export is more likely wrong than the patient. */
export const PLAUSIBLE_MENOPAUSE_AGE = { min: 20, max: 70 } as const;

export interface ScannerMenopause {
  /** post when the scanner's age at menopause may be used; null when the scanner says nothing usable */
  status: 'post' | null;
  /** why an age the export gives was not used: never a silent guess */
  problem: Problem | null;
}

/**
 * The menopausal status an export's age at menopause (Hologic PatInfo MenopauseAge) gives, the
 * one place it is decided: a woman whose age at menopause is plausible and below her age at the
 * scan is postmenopausal. No age given says nothing; an age given for someone not recorded as a
 * woman, an implausible one, or one not below her age at the scan gives no status and a warning.
 */
export function menopauseFromScanner(menopauseAge: number | null, ageAtScan: number | null, sex: Patient['sex']): ScannerMenopause {
  if (menopauseAge === null) return { status: null, problem: null };
  const given = `the export gives MenopauseAge ${menopauseAge}`;
  const notUsed = (why: string): ScannerMenopause => ({
    status: null,
    problem: { code: ProblemCode.SCANNER_MENOPAUSE_NOT_USED, message: `${given}${why}: no menopausal status taken from the scanner` },
  });
  if (sex === 'male') return notUsed(' for a man');
  if (sex !== 'female') return notUsed(' but the header does not record the patient as female');
  if (!Number.isFinite(menopauseAge) || menopauseAge < PLAUSIBLE_MENOPAUSE_AGE.min || menopauseAge > PLAUSIBLE_MENOPAUSE_AGE.max) {
    return notUsed(`, not a plausible age at menopause (${PLAUSIBLE_MENOPAUSE_AGE.min} to ${PLAUSIBLE_MENOPAUSE_AGE.max})`);
  }
  if (ageAtScan === null) return notUsed(" but the patient's age at the scan is not known");
  if (menopauseAge >= ageAtScan) return notUsed(`, not below the patient's age at the scan (${ageAtScan})`);
  return { status: 'post', problem: null };
}
