import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { readExportBytes, type FileOutcome } from '../../src/ingest/read-file.ts';
import { ProblemCode } from '../../src/model/problems.ts';
import { assess } from './corpus.ts';
import type { Mutant } from './mutations.ts';

/** At most this long to read one input, however hostile. */
export const MAX_MS_PER_INPUT = 1000;
/** Heap in use after any one input, a generous margin over the 256 MB one file may take. */
export const MAX_HEAP_BYTES = 512 * 2 ** 20;

export type Outcome = `error:${string}` | 'accepted-identical' | 'accepted-not-releasable' | 'accepted-changed';

export interface Checked {
  outcome: Outcome;
  ms: number;
  violation: string | null;
}

/**
 * Reads one mutant as `dexa ingest` would and checks the invariants: no exception and no
 * READER_FAILURE (only typed errors), at most a second, bounded heap; and for a proper prefix of
 * a fixture the truncation invariant: a typed error, a study that is not releasable, or exactly
 * the original study's measurements and classification.
 */
export async function checkMutant(mutant: Mutant): Promise<Checked> {
  const started = performance.now();
  let read: FileOutcome;
  try {
    read = readExportBytes(mutant.bytes, mutant.file.path);
  } catch (error) {
    return { outcome: 'error:EXCEPTION', ms: performance.now() - started, violation: `threw ${String(error).slice(0, 200)}` };
  }
  const ms = performance.now() - started;
  const heap = process.memoryUsage().heapUsed;
  const violations: string[] = [];
  if (ms > MAX_MS_PER_INPUT) violations.push(`took ${Math.round(ms)} ms`);
  if (heap > MAX_HEAP_BYTES) violations.push(`heap at ${Math.round(heap / 2 ** 20)} MB`);
  if (!read.ok) {
    if (read.failure.code === ProblemCode.READER_FAILURE) violations.push(`reader failure: ${read.failure.error}`);
    if (read.failure.error.length > 1000) violations.push(`a ${read.failure.error.length}-character message`);
    return { outcome: `error:${read.failure.code}`, ms, violation: violations.join('; ') || null };
  }

  const study = mutant.file.study;
  const others = study.files.filter((file) => file !== mutant.file).map((file) => file.extraction);
  const assessed = await assess([...others, read.extraction]);
  const identical = fingerprint(assessed) === fingerprint(study.original);
  const outcome: Outcome = identical ? 'accepted-identical' : assessed.classification.releasable ? 'accepted-changed' : 'accepted-not-releasable';
  if (mutant.prefixOf && outcome === 'accepted-changed') {
    violations.push(`truncation invariant: a prefix of ${mutant.file.path} (${mutant.note}) changes the study and is releasable`);
  }
  return { outcome, ms, violation: violations.join('; ') || null };
}

function fingerprint(study: AssessedStudy): string {
  const { patient, measurements, sideDifferences, vfa, classification } = study;
  return JSON.stringify({ patient, study: study.study, measurements, sideDifferences, vfa, classification });
}
