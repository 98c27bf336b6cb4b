import { collectBoundaries, encodeTree, parseTree, type TreeElement } from '../helpers/dicom-tree.ts';
import { deepNesting } from '../helpers/hostile-inputs.ts';
import type { CorpusFile } from './corpus.ts';

export type MutationKind =
  | 'truncate-boundary'
  | 'truncate-random'
  | 'truncate-defined-lengths'
  | 'bit-flip'
  | 'byte-run'
  | 'huge-length'
  | 'drop-delimiter'
  | 'wrong-vr'
  | 'invalid-utf8'
  | 'deep-nesting'
  | 'malicious-xml';

export interface Mutant {
  kind: MutationKind;
  /** a proper prefix of the fixture file: the truncation invariant applies */
  prefixOf: CorpusFile | null;
  /** the fixture the mutant stands in for in its study */
  file: CorpusFile;
  bytes: Uint8Array;
  note: string;
}

export type Random = () => number;

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const int = (random: Random, below: number) => Math.floor(random() * below);

const VRS = ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'OV', 'SV', 'UV', 'XX', '\0\0'];
const INVALID_UTF8 = [[0xc3, 0x28], [0xff], [0xe2, 0x82], [0xf0, 0x90, 0x28, 0xbc], [0xed, 0xa0, 0x80], [0xc0, 0xaf]];

const boundaryCache = new WeakMap<Uint8Array, number[]>();
export function boundariesOf(bytes: Uint8Array): number[] {
  let found = boundaryCache.get(bytes);
  if (!found) boundaryCache.set(bytes, (found = collectBoundaries(bytes)));
  return found;
}

const definedCache = new WeakMap<Uint8Array, { bytes: Uint8Array; boundaries: number[] }>();
function definedLengths(bytes: Uint8Array): { bytes: Uint8Array; boundaries: number[] } {
  let found = definedCache.get(bytes);
  if (!found) definedCache.set(bytes, (found = encodeTree(parseTree(bytes), { defined: true })));
  return found;
}

/** Every proper prefix of a file, from 0 to length − 1 bytes. */
export function* everyPrefix(file: CorpusFile): Generator<Mutant> {
  for (let length = 0; length < file.bytes.length; length++) {
    yield { kind: 'truncate-random', prefixOf: file, file, bytes: file.bytes.subarray(0, length), note: `first ${length} bytes` };
  }
}

/** One mutant of `file` of the given kind, drawn from `random`. */
export function mutate(kind: MutationKind, file: CorpusFile, random: Random): Mutant {
  const original = file.bytes;
  const make = (bytes: Uint8Array, note: string, prefix = false): Mutant => ({ kind, prefixOf: prefix ? file : null, file, bytes, note });
  const copy = () => new Uint8Array(original);
  const boundaries = boundariesOf(original).filter((offset) => offset + 12 <= original.length);
  switch (kind) {
    case 'truncate-boundary': {
      const at = pick(random, boundariesOf(original).filter((offset) => offset < original.length));
      return make(original.subarray(0, at), `cut at boundary ${at}`, true);
    }
    case 'truncate-random': {
      const at = int(random, original.length);
      return make(original.subarray(0, at), `cut at ${at}`, true);
    }
    case 'truncate-defined-lengths': {
      const defined = definedLengths(original);
      const cuts = defined.boundaries.filter((offset) => offset < defined.bytes.length);
      const at = random() < 0.5 ? pick(random, cuts) : int(random, defined.bytes.length);
      // a prefix of the same content, re-encoded: the invariant applies as to a prefix of the file
      return { kind, prefixOf: file, file, bytes: defined.bytes.subarray(0, at), note: `defined lengths, cut at ${at}` };
    }
    case 'bit-flip': {
      const bytes = copy();
      const flips = 1 + int(random, 8);
      for (let i = 0; i < flips; i++) {
        const at = 128 + int(random, bytes.length - 128);
        bytes[at] = (bytes[at] as number) ^ (1 << int(random, 8));
      }
      return make(bytes, `${flips} bit flips`);
    }
    case 'byte-run': {
      const bytes = copy();
      const at = 132 + int(random, bytes.length - 132);
      const length = 1 + int(random, 64);
      const value = pick(random, [0x00, 0xff, 0x20, 0x39, int(random, 256)]);
      bytes.fill(value, at, Math.min(bytes.length, at + length));
      return make(bytes, `${length} bytes of ${value} at ${at}`);
    }
    case 'huge-length': {
      const bytes = copy();
      const at = pick(random, boundaries);
      const view = new DataView(bytes.buffer);
      const value = pick(random, [0xffffffff, 0xfffffffe, 0x7ffffff0, 0x10000000, original.length, int(random, 0x10000)]);
      const vr = String.fromCharCode(bytes[at + 4] as number, bytes[at + 5] as number);
      if (/^(OB|OD|OF|OL|OW|SQ|UC|UR|UT|UN)$/.test(vr)) view.setUint32(at + 8, value >>> 0, true);
      else if (bytes[at] === 0xfe && bytes[at + 1] === 0xff) view.setUint32(at + 4, value >>> 0, true);
      else view.setUint16(at + 6, value & 0xffff, true);
      return make(bytes, `length ${value} at ${at}`);
    }
    case 'drop-delimiter': {
      const delimiters = boundaries.filter((offset) => original[offset] === 0xfe && original[offset + 1] === 0xff && (original[offset + 2] === 0x0d || original[offset + 2] === 0xdd));
      const at = pick(random, delimiters.length > 0 ? delimiters : boundaries);
      const bytes = new Uint8Array(original.length - 8);
      bytes.set(original.subarray(0, at));
      bytes.set(original.subarray(at + 8), at);
      return make(bytes, `delimiter at ${at} removed`);
    }
    case 'wrong-vr': {
      const bytes = copy();
      const at = pick(random, boundaries);
      const vr = pick(random, VRS);
      bytes[at + 4] = vr.charCodeAt(0);
      bytes[at + 5] = vr.charCodeAt(1);
      return make(bytes, `VR ${JSON.stringify(vr)} at ${at}`);
    }
    case 'invalid-utf8': {
      const bytes = copy();
      const textStart = pick(random, boundaries);
      const sequence = pick(random, INVALID_UTF8);
      const at = Math.min(bytes.length - sequence.length, textStart + 8 + int(random, 8));
      bytes.set(sequence, at);
      return make(bytes, `invalid UTF-8 at ${at}`);
    }
    case 'deep-nesting':
      return make(deepNesting(pick(random, [1, 10, 60, 64, 65, 66, 67, 68, 69, 70, 200, 5000])), 'deep nesting');
    case 'malicious-xml':
      return make(withImageComments(original, pick(random, MALICIOUS_XML)(random)), 'malicious XML');
  }
}

const MALICIOUS_XML: ((random: Random) => string)[] = [
  () => '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><DXA_RESULTS><SCAN type="AP Spine"><ROI region="L1">&c;&c;&c;</ROI></SCAN></DXA_RESULTS>',
  () => '<DXA_RESULTS><SCAN type="AP Spine" id="0"><ROI region="L1-L4" id="28"><BMD>' + '9'.repeat(200_000) + '</BMD></ROI></SCAN></DXA_RESULTS>',
  (random) => '<DXA_RESULTS>' + '<SCAN>'.repeat(1 + int(random, 5000)) + '</DXA_RESULTS>',
  () => '<DXA_RESULTS><SCAN type="AP Spine"><ROI region="L1"><BMD>1e999</BMD><BMD_TSCORE>NaN</BMD_TSCORE></ROI></SCAN>',
  () => '<DXA_RESULTS><SCAN type="&lt;&amp;&#x1b;[31m' + '\u001b'.repeat(300) + '"></SCAN></DXA_RESULTS>',
  (random) => '<DXA_RESULTS ' + 'a'.repeat(int(random, 100_000)) + '="1">',
  () => '<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><DXA_RESULTS>&x;</DXA_RESULTS>',
];

function withImageComments(bytes: Uint8Array, xml: string): Uint8Array {
  const tree = parseTree(bytes);
  const value = new TextEncoder().encode(xml.length % 2 === 0 ? xml : `${xml} `);
  const element: TreeElement = { tag: 0x00204000, vr: value.length > 0xfff0 ? 'UT' : 'LT', value };
  const at = tree.dataSet.findIndex((e) => e.tag === 0x00204000);
  if (at >= 0) tree.dataSet[at] = element;
  else {
    const after = tree.dataSet.findIndex((e) => e.tag > 0x00204000);
    tree.dataSet.splice(after < 0 ? tree.dataSet.length : after, 0, element);
  }
  return encodeTree(tree, { defined: false }).bytes;
}

export const MUTATION_KINDS: MutationKind[] = [
  'truncate-boundary',
  'truncate-random',
  'truncate-defined-lengths',
  'bit-flip',
  'byte-run',
  'huge-length',
  'drop-delimiter',
  'wrong-vr',
  'invalid-utf8',
  'deep-nesting',
  'malicious-xml',
];
