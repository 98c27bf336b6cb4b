/**
 * `npm run fuzz [-- --seed N --mutants N]`: the long fuzz run. Every byte offset of every fixture
 * file as a truncation point, every element boundary of every fixture re-encoded with defined
 * lengths, and seeded mutants of every kind; prints the count of each outcome and every
 * violation, writes each violating input to a folder for a regression test, and exits 1 on any.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../tests/fuzz/corpus.ts';
import { mutate, type Mutant } from '../tests/fuzz/mutations.ts';
import { allPrefixes, randomMutants } from '../tests/fuzz/plans.ts';
import { runFuzz, type FuzzSummary } from '../tests/fuzz/run-fuzz.ts';
import { seededRandom } from '../src/fixtures/deterministic.ts';
import type { CorpusFile } from '../tests/fuzz/corpus.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, mutants: { type: 'string', default: '60000' } } });
const corpus = await loadCorpus();

function* definedLengthPrefixes(files: CorpusFile[]): Generator<Mutant> {
  const random = seededRandom(Number(values.seed));
  for (const file of files) for (let i = 0; i < 400; i++) yield mutate('truncate-defined-lengths', file, random);
}

const phases: [string, Iterable<Mutant>][] = [
  ['every prefix of every fixture', allPrefixes(corpus)],
  ['prefixes of fixtures re-encoded with defined lengths', definedLengthPrefixes(corpus)],
  ['seeded mutants', randomMutants(corpus, Number(values.seed), Number(values.mutants))],
];

const total: FuzzSummary = { inputs: 0, outcomes: {}, byKind: {}, changedByKind: {}, changedSamples: [], violations: [], slowestMs: 0, seconds: 0 };
for (const [name, mutants] of phases) {
  const summary = await runFuzz(mutants, Infinity, (s) => process.stderr.write(`  ${name}: ${s.inputs} inputs…\n`));
  print(name, summary);
  total.inputs += summary.inputs;
  total.seconds += summary.seconds;
  total.slowestMs = Math.max(total.slowestMs, summary.slowestMs);
  total.violations.push(...summary.violations);
  for (const [key, count] of Object.entries(summary.outcomes)) total.outcomes[key] = (total.outcomes[key] ?? 0) + count;
  for (const [key, count] of Object.entries(summary.byKind)) total.byKind[key] = (total.byKind[key] ?? 0) + count;
  for (const [key, count] of Object.entries(summary.changedByKind)) total.changedByKind[key] = (total.changedByKind[key] ?? 0) + count;
  total.changedSamples.push(...summary.changedSamples);
}
print('total', total);

if (total.violations.length > 0) {
  const folder = await mkdtemp(join(tmpdir(), 'dexa-fuzz-'));
  for (const [index, violation] of total.violations.entries()) {
    await writeFile(join(folder, `${String(index).padStart(4, '0')}-${violation.kind}.dcm`), violation.bytes);
    console.log(`VIOLATION ${violation.kind} of ${violation.file} (${violation.note}): ${violation.violation}`);
  }
  console.log(`${total.violations.length} violating inputs written to ${folder}`);
  process.exitCode = 1;
}

function print(name: string, summary: FuzzSummary): void {
  console.log(`\n${name}: ${summary.inputs} inputs in ${summary.seconds.toFixed(1)} s (slowest ${summary.slowestMs.toFixed(1)} ms)`);
  const rows = Object.entries(summary.outcomes).sort(([a], [b]) => a.localeCompare(b));
  for (const [outcome, count] of rows) console.log(`  ${outcome.padEnd(32)} ${count}`);
  console.log(`  ${'violations'.padEnd(32)} ${summary.violations.length}`);
  if (name !== 'total') return;
  for (const [kind, count] of Object.entries(summary.byKind)) {
    console.log(`  kind ${kind.padEnd(27)} ${String(count).padStart(7)} inputs, ${summary.changedByKind[kind] ?? 0} accepted-changed`);
  }
}
