import type { Measurement } from '../model/study.ts';
import type { DiagnosticValue } from '../model/classification.ts';
import type { Flag } from '../model/flags.ts';
import { spineValue, type ScoreKind } from './spine-validity.ts';

/**
 * Clinical-rules §2: the values a diagnosis may rest on. Hip: femoral neck and total hip of each
 * side separately, never the bilateral mean; forearm: radius 33 % only. Ward's, trochanter, the
 * neck sub-regions, shaft, other radius regions, single vertebrae and Diff. rows never count.
 */
const HIP_DIAGNOSTIC = new Set(['femoral_neck', 'total_hip']);
const FOREARM_DIAGNOSTIC = new Set(['radius_33']);

export type Site = 'spine' | 'hip' | 'forearm';

export interface DiagnosticSelection {
  values: (DiagnosticValue & { site: Site })[];
  flags: Flag[];
}

export function diagnosticValues(measurements: Measurement[], kind: ScoreKind): DiagnosticSelection {
  const spine = spineValue(measurements, kind);
  const values: (DiagnosticValue & { site: Site })[] = spine.value ? [{ ...spine.value, site: 'spine' }] : [];
  for (const m of measurements) {
    const score = m[kind];
    if (score === null || m.side === 'mean') continue;
    if (HIP_DIAGNOSTIC.has(m.region)) values.push({ region: m.region, side: m.side, score, site: 'hip' });
    else if (FOREARM_DIAGNOSTIC.has(m.region)) values.push({ region: m.region, side: m.side, score, site: 'forearm' });
  }
  return { values, flags: spine.flags };
}
