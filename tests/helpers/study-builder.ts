import type { Region, Side } from '../../src/model/regions.ts';
import type { ExtractedStudy, Measurement, Patient, PersonName, VfaVertebra } from '../../src/model/study.ts';

/** [region, side, T, Z] */
export type Row = [Region, Side, number | null, number | null];

export function measurement([region, side, tScore, zScore]: Row): Measurement {
  return {
    region, side, bmd: 0.8, bmc: null, areaCm2: null, tScore, zScore, youngAdultPercent: null, ageMatchedPercent: null,
    source: { sopInstanceUid: '1.2.3', scan: 'test', roi: `${region} ${side ?? ''}` },
  };
}

export interface StudyShape {
  sex?: Patient['sex'];
  birthDate?: string | null;
  studyDate?: string | null;
  rows?: Row[];
  vfa?: VfaVertebra[];
  vendorCategory?: string | null;
  errors?: ExtractedStudy['errors'];
  /** the GP the letter goes to; `null` for none (NO_ADDRESSEE) */
  referringPhysician?: PersonName | null;
}

/** A canonical study for rule tests: a 65-year-old woman scanned on 2026-06-01 unless told otherwise. */
export function studyWith(shape: StudyShape = {}): ExtractedStudy {
  return {
    patient: { id: 'P1', issuer: null, name: null, birthDate: shape.birthDate === undefined ? '1961-01-01' : shape.birthDate, sex: shape.sex === undefined ? 'female' : shape.sex },
    study: {
      studyInstanceUid: '1.2.3', studyDate: shape.studyDate === undefined ? '2026-06-01' : shape.studyDate, accessionNumber: null, description: null,
      institution: null, manufacturer: 'GE Healthcare', model: 'Lunar iDXA', deviceSerialNumber: null, softwareVersion: null,
      referenceDatabase: null, vendorCategory: shape.vendorCategory ?? null,
      referringPhysician: shape.referringPhysician === undefined ? { family: 'Bakker', given: 'P.', middle: '', prefix: '', suffix: '' } : shape.referringPhysician,
    },
    instances: [],
    measurements: (shape.rows ?? []).map(measurement),
    sideDifferences: [],
    vfa: shape.vfa ?? [],
    errors: shape.errors ?? [],
    warnings: [],
  };
}

/** Born on 1 June, so the age on the 2026-06-01 study day is exact: `bornYearsBefore(50)` is 50 that day. */
export function bornYearsBefore(age: number): string {
  return `${2026 - age}-06-01`;
}

/** A complete spine and both hips, all at the given T and Z, so that one row can be made the lowest. */
export function fullExam(t: number, z: number = t): Row[] {
  return [
    ['L1-L4', null, t, z], ['L1', null, t, z], ['L2', null, t, z], ['L3', null, t, z], ['L4', null, t, z],
    ['femoral_neck', 'left', t, z], ['femoral_neck', 'right', t, z], ['total_hip', 'left', t, z], ['total_hip', 'right', t, z],
  ];
}

export function vertebra(level: VfaVertebra['level'], ha: number | null, hm: number | null, hp: number | null, readerGrade: VfaVertebra['readerGrade'] = null): VfaVertebra {
  return { level, evaluable: true, anteriorMm: ha, middleMm: hm, posteriorMm: hp, readerGrade };
}
