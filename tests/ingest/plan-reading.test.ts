import { describe, expect, it } from 'vitest';
import { planReading } from '../../src/ingest/plan-reading.ts';
import type { FilePlacement } from '../../src/ingest/read-placement.ts';

/** A file of study `study`, patient `patientId`, on `studyDate`. */
function placed(file: string, study: string, patientId: string | null, studyDate: string | null, instanceNumber: number | null = 1) {
  const placement: FilePlacement = { file, studyInstanceUid: study, patientId, issuer: null, studyDate, instanceNumber, sopInstanceUid: `${study}.${file}` };
  return { file, placement };
}
const unreadable = (file: string) => ({ file, placement: null });

describe('the order a run reads its files in', () => {
  it('patient by patient in the order of their first files, each patient oldest study first, the unreadable last', () => {
    const plan = planReading([
      placed('a/1', '1.1', 'P', '2026-06-01'),
      unreadable('a/junk'),
      placed('b/1', '1.2', 'Q', '2025-01-01'),
      placed('c/1', '1.3', 'P', '2024-06-01'),
      placed('a/2', '1.1', 'P', '2026-06-01', 2),
      placed('d/1', '1.4', null, '2020-01-01'),
      unreadable('e/junk'),
    ]);
    expect(plan).toEqual([
      [['c/1'], ['a/1', 'a/2']],
      [['b/1']],
      [['d/1']],
      [['a/junk']],
      [['e/junk']],
    ]);
  });

  it('a study without a date first, and a day\'s studies in the order of their first files', () => {
    const plan = planReading([placed('x', '1.1', 'P', '2026-06-01'), placed('y', '1.2', 'P', null), placed('z', '1.3', 'P', '2026-06-01')]);
    expect(plan).toEqual([[['y'], ['x'], ['z']]]);
  });

  it('one patient for studies a patient ID ties together, even through a study whose files name two', () => {
    const plan = planReading([placed('a', '1.1', 'P', '2026-01-01'), placed('b', '1.2', 'Q', '2025-01-01'), placed('c1', '1.3', 'P', '2024-01-01'), placed('c2', '1.3', 'Q', '2024-01-01', 2)]);
    expect(plan).toEqual([[['c1', 'c2'], ['b'], ['a']]]);
  });

  it('a study\'s date as merging takes it: from its first instance by instance number', () => {
    const plan = planReading([placed('late-1', '1.1', 'P', '2026-01-01'), placed('mid-2', '1.2', 'P', '2030-01-01', 2), placed('mid-1', '1.2', 'P', '2025-01-01', 1)]);
    expect(plan).toEqual([[['mid-2', 'mid-1'], ['late-1']]]);
  });
});
