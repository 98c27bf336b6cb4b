import type { InstanceExtraction, ReaderId } from '../model/study.ts';
import type { Header } from './dicom-header.ts';
import { requirePlausible } from './plausible-values.ts';
import type { ReaderFindings } from './reader.ts';

/**
 * The canonical extraction of one instance: the header's patient, study and instance record, the
 * reader's findings, and every warning (the header's first) tagged with the file. The one place
 * an instance record is built, whichever reader read the object.
 */
export function instanceExtraction(reader: ReaderId, header: Header, findings: ReaderFindings, file: string): InstanceExtraction {
  requirePlausible(findings.measurements);
  return {
    patient: header.patient,
    study: { ...header.study, ...findings.study },
    instance: {
      sopInstanceUid: header.sopInstanceUid,
      seriesInstanceUid: header.seriesInstanceUid,
      instanceNumber: header.instanceNumber,
      sopClassUid: header.sopClassUid,
      reader,
      file,
    },
    measurements: findings.measurements,
    sideDifferences: findings.sideDifferences,
    vfa: findings.vfa,
    ...(findings.frax === undefined ? {} : { frax: findings.frax }),
    ...(findings.scannerContext === undefined ? {} : { scannerContext: findings.scannerContext }),
    warnings: [...header.warnings, ...findings.warnings].map((warning) => ({ ...warning, file })),
  };
}
