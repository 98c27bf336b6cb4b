import type { FixtureScanner, FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { personAt } from '../../src/fixtures/scan-builders.ts';
import { dualFemurScan, spineScan } from '../../src/fixtures/scan-builders.ts';

export const IDXA: FixtureScanner = { manufacturer: 'GE Healthcare', model: 'Lunar iDXA', serial: '200311', software: '15.10.046' };

/** A synthetic two-instance GE study (spine; both hips) of a postmenopausal woman, for service tests. */
export function syntheticStudy(id: string, options: { patientId?: string; studyDate?: string; neck?: number; spine?: number; scanner?: FixtureScanner; referringPhysician?: string | null; address?: string } = {}): FixtureStudy {
  const patient = { id: options.patientId ?? `P-${id}`, family: 'Test', given: 'Anna', birthDate: '1960-05-05', sex: 'female' as const, ...(options.address === undefined ? {} : { address: options.address }) };
  const studyDate = options.studyDate ?? '2026-06-01';
  const person = personAt(patient, studyDate);
  const spine = options.spine ?? -1.2;
  const neck = options.neck ?? -1.6;
  return {
    id,
    description: 'service test study',
    exercises: [],
    patient,
    studyDate,
    scanner: options.scanner ?? IDXA,
    referringPhysician: options.referringPhysician === undefined ? 'Bakker^P.' : options.referringPhysician,
    instances: [
      { scans: [spineScan(person, { L1: spine, L2: spine, L3: spine, L4: spine }, ['L1-L4'])] },
      { scans: [dualFemurScan(person, { neck, total: neck + 0.4 }, { neck: neck + 0.2, total: neck + 0.5 }, false)] },
    ],
    profileInstances: [],
    context: { menopausalStatus: 'post', fractureHistory: [] },
    expected: { category: null, path: 'T', indexRegion: null, indexSide: null, indexScore: null, nhgBinary: null, flags: [], releasable: true, vertebralFractures: [] },
  };
}
