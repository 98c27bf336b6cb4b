import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type CorpusFile } from './corpus.ts';
import { boundaryPrefixes, randomMutants } from './plans.ts';
import { runFuzz, type FuzzSummary } from './run-fuzz.ts';

/**
 * The bounded fuzz run inside `npm test`: seeded, so every run tries the same inputs. The long
 * run (`npm run fuzz`) tries every byte offset of every fixture and far more mutants.
 */
const SEED = 20261123;
const RANDOM_MUTANTS = 2_200;

let corpus: CorpusFile[];
beforeAll(async () => {
  corpus = await loadCorpus();
});

const report = (summary: FuzzSummary) =>
  summary.violations.slice(0, 5).map((v) => `${v.kind} of ${v.file} (${v.note}): ${v.violation}`);

describe('fuzz (bounded)', () => {
  it('every prefix ending at an element, item or delimiter boundary of every fixture keeps the invariants', { timeout: 60_000 }, async () => {
    const summary = await runFuzz(boundaryPrefixes(corpus));
    expect(summary.inputs).toBeGreaterThan(50_000);
    expect(report(summary)).toEqual([]);
    // a cut at a boundary is always recognised as one, so the service can wait for the rest
    expect(Object.keys(summary.outcomes)).toEqual(['error:TRUNCATED']);
  });

  it('seeded mutants of every kind keep the invariants', { timeout: 60_000 }, async () => {
    const summary = await runFuzz(randomMutants(corpus, SEED, RANDOM_MUTANTS));
    expect(summary.inputs).toBe(RANDOM_MUTANTS);
    expect(report(summary)).toEqual([]);
    expect(Object.keys(summary.outcomes).filter((outcome) => outcome.startsWith('error:')).length).toBeGreaterThan(5);
  });
});
