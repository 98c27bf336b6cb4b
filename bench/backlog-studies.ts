/**
 * The studies of the backlog benchmark: synthetic women of 71, every other study from a Hologic
 * Horizon (spine and left hip pages, held for review as every Hologic study is) and the others from
 * a GE iDXA (spine and dual femur SRs with a context file). Accession numbers are unique unless
 * `names` is 'colliding': then every study has the same one, so each letter name is taken.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExpectedClassification, FixtureStudy } from '../src/fixtures/fixture-spec.ts';
import { hologicHip } from '../src/fixtures/hologic-scan-builders.ts';
import { dualFemurScan, personAt, spineScan } from '../src/fixtures/scan-builders.ts';
import { writeGeSrInstance } from '../src/fixtures/write-ge-sr.ts';
import { writeHologicScan } from '../src/fixtures/write-hologic-fixture.ts';

export type LetterNames = 'unique' | 'colliding';

const STUDY_DATE = '2026-06-01';
const GE = { manufacturer: 'GE Healthcare', model: 'Lunar iDXA', serial: '1', software: '15.10.046' };
const HOLOGIC = { manufacturer: 'HOLOGIC', model: 'Horizon A', serial: '301234', software: '13.6.1.4' };
// the benchmark checks no classification: nothing is expected of these studies
const EXPECTED: ExpectedClassification = { category: null, path: 'T', indexRegion: null, indexSide: null, indexScore: null, nhgBinary: null, flags: [], releasable: true, vertebralFractures: [] };

export function benchStudy(index: number, names: LetterNames): FixtureStudy {
  const id = `bench-${String(index).padStart(6, '0')}`;
  const patient = { id: `B-${index}`, family: 'Bench', given: 'Test', birthDate: '1955-01-01', sex: 'female' as const };
  const person = personAt(patient, STUDY_DATE);
  const common = {
    id, description: '', exercises: [], patient, studyDate: STUDY_DATE, referringPhysician: 'Bakker^P.',
    context: { menopausalStatus: 'post' as const, fractureHistory: [] }, expected: EXPECTED,
    ...(names === 'unique' ? { accessionNumber: `B${String(index).padStart(7, '0')}` } : {}),
  };
  if (index % 2 === 1) {
    return {
      ...common, scanner: HOLOGIC, instances: [], profileInstances: [], menopauseAge: 50,
      hologicScans: [
        { kind: 'spine', rois: spineScan(person, { L1: -1.2, L2: -1.4, L3: -1.3, L4: -1.1 }, ['L1-L4']).rois, blobVr: 'UN', whoClass: 'Osteopenia', reference: 'T-score vs. White Female; Z-score vs. White Female. Source:2012 BMDCS/Hologic' },
        { kind: 'hip', rois: hologicHip(person, 'left', { neck: -1.8, total: -1.2 }), blobVr: 'OB', whoClass: 'Osteopenia', reference: 'T-score vs. White Female; Z-score vs. White Female. Source:NHANES' },
      ],
    };
  }
  return {
    ...common, scanner: GE, profileInstances: [],
    instances: [
      { scans: [spineScan(person, { L1: -1.2, L2: -1.4, L3: -1.3, L4: -1.1 }, ['L1-L4'])] },
      { scans: [dualFemurScan(person, { neck: -1.8, total: -1.2 }, { neck: -1.6, total: -1.0 }, true)] },
    ],
  };
}

export interface BenchFile {
  name: string;
  bytes: Uint8Array | string;
}

/** One study's export files (and its context file), named as the scanner and the bench name them. */
export function benchStudyFiles(study: FixtureStudy): BenchFile[] {
  const pages = study.hologicScans ?? [];
  return [
    ...(study.context ? [{ name: 'context.json', bytes: JSON.stringify(study.context) }] : []),
    ...pages.map((_, i) => ({ name: `HL${String(i + 1).padStart(4, '0')}.dcm`, bytes: writeHologicScan(study, i) })),
    ...study.instances.map((_, i) => ({ name: `SR${i + 1}.dcm`, bytes: writeGeSrInstance(study, i) })),
  ];
}

/** Writes one study's files into its own folder of `inbox`; returns how many DICOM files. */
export async function writeBenchStudy(inbox: string, study: FixtureStudy): Promise<number> {
  return writeStudyFolder(inbox, study.id, benchStudyFiles(study));
}

/** Writes files into `folder` of `inbox`, in order; returns how many DICOM files. */
export async function writeStudyFolder(inbox: string, folder: string, files: BenchFile[]): Promise<number> {
  await mkdir(join(inbox, folder), { recursive: true });
  for (const file of files) await writeFile(join(inbox, folder, file.name), file.bytes);
  return files.filter((file) => file.name.endsWith('.dcm')).length;
}
