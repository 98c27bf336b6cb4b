import { writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import type { InstanceExtraction } from '../../src/model/study.ts';
import type { StudyRecord } from '../../src/store/study-records.ts';
import type { StudyStore } from '../../src/store/study-store.ts';
import { syntheticStudy } from './studies.ts';

/** One synthetic GE SR instance, read as the service reads it. */
export function syntheticExtraction(id: string, options: { patientId?: string; studyDate?: string; family?: string } = {}): InstanceExtraction {
  const study = syntheticStudy(id, options);
  const patient = options.family === undefined ? study.patient : { ...study.patient, family: options.family };
  const read = readExportBytes(writeGeSrInstance({ ...study, patient }, 0), `${id}/SR1.dcm`);
  if (!read.ok) throw new Error(read.failure.error);
  return read.extraction;
}

/** A study received from one file (`<id>/SR1.dcm`) and taken for assembly, straight through the store. */
export async function receivedAndTaken(store: StudyStore, id: string, options: { patientId?: string; studyDate?: string; family?: string } = {}): Promise<{ study: StudyRecord; part: InstanceExtraction }> {
  const part = syntheticExtraction(id, options);
  await store.transaction(async (tx) => {
    const fileId = await tx.files.recordReceived({ inboxPath: `${id}/SR1.dcm`, size: 1, mtimeMs: 1, sha256: `sha-${id}`, kind: 'export' });
    await tx.studies.storeInstance(part, fileId, { folder: id, name: 'SR1.dcm' }, '2000-01-01T00:00:00.000Z');
  });
  const [study] = await store.transaction((tx) => tx.studies.claimDue(new Date().toISOString(), 10));
  if (!study) throw new Error('nothing due');
  return { study, part };
}
