import { seededRandom } from '../../src/fixtures/deterministic.ts';
import type { CorpusFile } from './corpus.ts';
import { boundariesOf, everyPrefix, mutate, MUTATION_KINDS, type Mutant } from './mutations.ts';

/** Every proper prefix that ends at an element, item or delimiter boundary, of every file. */
export function* boundaryPrefixes(corpus: CorpusFile[]): Generator<Mutant> {
  for (const file of corpus) {
    for (const at of boundariesOf(file.bytes)) {
      if (at < file.bytes.length) yield { kind: 'truncate-boundary', prefixOf: file, file, bytes: file.bytes.subarray(0, at), note: `cut at boundary ${at}` };
    }
  }
}

/** Every proper prefix of every file: each byte offset a truncation point. */
export function* allPrefixes(corpus: CorpusFile[]): Generator<Mutant> {
  for (const file of corpus) yield* everyPrefix(file);
}

/** `count` seeded mutants, the kinds taking turns, each of a file drawn at random. */
export function* randomMutants(corpus: CorpusFile[], seed: number, count: number): Generator<Mutant> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const kind = MUTATION_KINDS[i % MUTATION_KINDS.length]!;
    yield mutate(kind, corpus[Math.floor(random() * corpus.length)]!, random);
  }
}
