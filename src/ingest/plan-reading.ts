import type { FilePlacement } from './read-placement.ts';
import { instanceOrder } from './merge-study.ts';

/** The files of one study, or one file without a placement (reading it says why, or what it is). */
export type StudyFiles = string[];

/** The studies of one patient, oldest first; a patient's studies are read one after the other. */
export type PatientStudies = StudyFiles[];

interface PlannedStudy {
  files: StudyFiles;
  /** the date merging will give it; '' for none */
  date: string;
  patientIds: string[];
  /** where its first file came among the files given */
  first: number;
}

/**
 * The order the files are read in, decided from their headers so that each study is read whole,
 * and after its patient's earlier studies: patients in the order their first file comes among
 * the files given (folders in name order), each patient's studies by date (a study without a
 * date first, as it has no priors), a day's studies in the order of their first file. A patient
 * is everyone a patient ID ties together, across the studies that name it. The files without a
 * placement (a header that could not be read, or not a regular file: a FIFO, a pipe) come last,
 * each on its own, in the order given.
 *
 * A study's date and patient are taken from its instances as merging takes them (the first
 * instance that gives one); where a study's instances disagree, which is an error of the study,
 * its place follows the first.
 */
export function planReading(files: { file: string; placement: FilePlacement | null }[]): PatientStudies[] {
  const byUid = new Map<string, { placements: FilePlacement[]; first: number }>();
  const unplaced: string[] = [];
  files.forEach(({ file, placement }, index) => {
    if (placement === null) unplaced.push(file);
    else if (byUid.has(placement.studyInstanceUid)) byUid.get(placement.studyInstanceUid)!.placements.push(placement);
    else byUid.set(placement.studyInstanceUid, { placements: [placement], first: index });
  });
  const studies = [...byUid.values()].map(({ placements, first }): PlannedStudy => ({
    files: placements.map((placement) => placement.file),
    date: mergedDate(placements),
    patientIds: placements.flatMap((placement) => (placement.patientId === null ? [] : [placement.patientId])),
    first,
  }));
  // each group lists its studies in the order of their first files: its first study's comes first
  const patients = patientsOf(studies).map((patient) => ({ first: patient[0]!.first, studies: patient }));
  patients.sort((a, b) => a.first - b.first);
  return [...patients.map((patient) => patient.studies.sort(byDateThenFirstFile).map((study) => study.files)), ...unplaced.map((file) => [[file]])];
}

/** Studies grouped by the patient IDs their files name: one ID shared ties two studies together. */
function patientsOf(studies: PlannedStudy[]): PlannedStudy[][] {
  const parent = studies.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const byPatientId = new Map<string, number>();
  studies.forEach((study, index) => {
    for (const id of study.patientIds) {
      const other = byPatientId.get(id);
      if (other === undefined) byPatientId.set(id, index);
      else parent[root(index)] = root(other);
    }
  });
  const groups = new Map<number, PlannedStudy[]>();
  studies.forEach((study, index) => {
    const group = groups.get(root(index));
    if (group) group.push(study);
    else groups.set(root(index), [study]);
  });
  return [...groups.values()];
}

function byDateThenFirstFile(a: PlannedStudy, b: PlannedStudy): number {
  return (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || a.first - b.first;
}

/** The date merging will give the study: that of the first instance, in merge order, that has one. */
function mergedDate(placements: FilePlacement[]): string {
  return [...placements].sort(instanceOrder).find((placement) => placement.studyDate !== null)?.studyDate ?? '';
}
