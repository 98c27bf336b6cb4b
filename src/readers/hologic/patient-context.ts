import type { ScannerContext } from '../../model/study.ts';
import { isoDate } from './header-checks.ts';
import type { HologicPatient, HologicScan } from './hologic-sections.ts';

/**
 * PatInfo's clinical context as the export writes it: the age at menopause, with the blob's own
 * birth date and scan date (both checked against the header) for the patient's age at the scan;
 * PatInfo's Age is not used. The merge judges it (clinical/scanner-menopause.ts).
 */
export function patientContext(patient: HologicPatient, scan: HologicScan): ScannerContext {
  return { menopauseAge: patient.menopauseAge, birthDate: isoDate(patient.birthDate), scanDate: isoDate(scan.date) };
}
