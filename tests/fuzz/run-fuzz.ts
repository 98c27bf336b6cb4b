import { checkMutant, type Checked } from './check-input.ts';
import type { Mutant } from './mutations.ts';

export interface FuzzSummary {
  inputs: number;
  outcomes: Record<string, number>;
  byKind: Record<string, number>;
  /** accepted inputs that changed the study and stay releasable, per mutation kind (a violation only for a prefix) */
  changedByKind: Record<string, number>;
  changedSamples: { kind: string; note: string; file: string }[];
  violations: { kind: string; note: string; file: string; violation: string; bytes: Uint8Array }[];
  slowestMs: number;
  seconds: number;
}

/** Runs every mutant through the checks and counts outcomes; stops early once `deadline` (ms since epoch) has passed. */
export async function runFuzz(mutants: Iterable<Mutant>, deadline = Infinity, onProgress?: (summary: FuzzSummary) => void): Promise<FuzzSummary> {
  const started = performance.now();
  const summary: FuzzSummary = { inputs: 0, outcomes: {}, byKind: {}, changedByKind: {}, changedSamples: [], violations: [], slowestMs: 0, seconds: 0 };
  for (const mutant of mutants) {
    if (Date.now() > deadline) break;
    const checked: Checked = await checkMutant(mutant);
    summary.inputs++;
    summary.outcomes[checked.outcome] = (summary.outcomes[checked.outcome] ?? 0) + 1;
    summary.byKind[mutant.kind] = (summary.byKind[mutant.kind] ?? 0) + 1;
    summary.slowestMs = Math.max(summary.slowestMs, checked.ms);
    if (checked.outcome === 'accepted-changed') {
      summary.changedByKind[mutant.kind] = (summary.changedByKind[mutant.kind] ?? 0) + 1;
      if (summary.changedSamples.length < 20) summary.changedSamples.push({ kind: mutant.kind, note: mutant.note, file: mutant.file.path });
    }
    if (checked.violation) {
      summary.violations.push({ kind: mutant.kind, note: mutant.note, file: mutant.file.path, violation: checked.violation, bytes: mutant.bytes });
    }
    if (onProgress && summary.inputs % 20_000 === 0) onProgress(summary);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
