/**
 * A minimal explicit VR little endian element tree for tests: enough to re-encode a fixture with
 * defined instead of undefined lengths, and to list every offset where an element, item or
 * delimiter begins or ends (the truncation points a file cut "cleanly" would stop at).
 * It reads only what the fixture writer produces; it is not a DICOM parser.
 */
export interface TreeElement {
  tag: number;
  vr: string;
  value?: Uint8Array;
  items?: TreeElement[][];
}

export interface Part10Tree {
  preamble: Uint8Array;
  meta: TreeElement[];
  dataSet: TreeElement[];
}

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN']);
const UNDEFINED = 0xffffffff;

export function parseTree(bytes: Uint8Array): Part10Tree {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tagAt = (p: number) => ((view.getUint16(p, true) << 16) | view.getUint16(p + 2, true)) >>> 0;

  const readElements = (start: number, end: number, untilItemEnd: boolean): [TreeElement[], number] => {
    const elements: TreeElement[] = [];
    let p = start;
    while (p < end) {
      const tag = tagAt(p);
      if (untilItemEnd && tag === 0xfffee00d) return [elements, p + 8];
      const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
      const long = LONG.has(vr);
      const length = long ? view.getUint32(p + 8, true) : view.getUint16(p + 6, true);
      const valueStart = p + (long ? 12 : 8);
      if (vr === 'SQ') {
        const items: TreeElement[][] = [];
        let q = valueStart;
        const sequenceEnd = length === UNDEFINED ? Infinity : valueStart + length;
        while (q < sequenceEnd) {
          const itemTag = tagAt(q);
          if (itemTag === 0xfffee0dd) {
            q += 8;
            break;
          }
          const itemLength = view.getUint32(q + 4, true);
          const [children, next] =
            itemLength === UNDEFINED ? readElements(q + 8, bytes.length, true) : readElements(q + 8, q + 8 + itemLength, false);
          items.push(children);
          q = next;
        }
        elements.push({ tag, vr, items });
        p = q;
      } else {
        elements.push({ tag, vr, value: bytes.subarray(valueStart, valueStart + length) });
        p = valueStart + length;
      }
      if (!untilItemEnd && p >= end) break;
    }
    return [elements, p];
  };

  let metaEnd = 132;
  while (metaEnd < bytes.length && view.getUint16(metaEnd, true) === 2) {
    const vr = String.fromCharCode(bytes[metaEnd + 4]!, bytes[metaEnd + 5]!);
    const long = LONG.has(vr);
    metaEnd += (long ? 12 + view.getUint32(metaEnd + 8, true) : 8 + view.getUint16(metaEnd + 6, true));
  }
  return {
    preamble: bytes.subarray(0, 132),
    meta: readElements(132, metaEnd, false)[0],
    dataSet: readElements(metaEnd, bytes.length, false)[0],
  };
}

export interface Encoded {
  bytes: Uint8Array;
  /** offsets where an element, item, or delimiter starts, ascending */
  boundaries: number[];
}

/** Encodes the tree; `defined` writes every sequence and item with its length instead of delimiters. */
export function encodeTree(tree: Part10Tree, options: { defined: boolean }): Encoded {
  const chunks: Uint8Array[] = [tree.preamble];
  const u16 = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff);
  const u32 = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  const tagBytes = (tag: number) => Uint8Array.of(...u16(tag >>> 16), ...u16(tag & 0xffff));

  const elementBytes = (e: TreeElement): Uint8Array => {
    const parts: Uint8Array[] = [];
    if (e.items) {
      const items = e.items.map((children) => {
        const body = concat(children.map(elementBytes));
        return options.defined
          ? concat([tagBytes(0xfffee000), u32(body.length), body])
          : concat([tagBytes(0xfffee000), u32(UNDEFINED), body, tagBytes(0xfffee00d), u32(0)]);
      });
      const body = concat(options.defined ? items : [...items, tagBytes(0xfffee0dd), u32(0)]);
      parts.push(tagBytes(e.tag), new TextEncoder().encode('SQ'), u16(0), u32(options.defined ? body.length : UNDEFINED), body);
    } else {
      const value = e.value ?? new Uint8Array(0);
      const vr = new TextEncoder().encode(e.vr);
      parts.push(tagBytes(e.tag), vr, ...(LONG.has(e.vr) ? [u16(0), u32(value.length)] : [u16(value.length)]), value);
    }
    return concat(parts);
  };

  for (const e of [...tree.meta, ...tree.dataSet]) chunks.push(elementBytes(e));
  const bytes = concat(chunks);
  return { bytes, boundaries: collectBoundaries(bytes) };
}

/** Every offset where an element, an item or a delimiter starts, and the end of the file. */
export function collectBoundaries(bytes: Uint8Array, out: number[] = []): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tagAt = (p: number) => ((view.getUint16(p, true) << 16) | view.getUint16(p + 2, true)) >>> 0;
  let p = 132;
  while (p + 8 <= bytes.length) {
    out.push(p);
    const tag = tagAt(p);
    if (tag >>> 16 === 0xfffe) {
      // an item: step inside it (undefined or defined, its content follows); a delimiter: 8 bytes
      p += 8;
      continue;
    }
    const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
    const long = LONG.has(vr);
    const length = long ? view.getUint32(p + 8, true) : view.getUint16(p + 6, true);
    p += long ? 12 : 8;
    if (vr !== 'SQ') p += length;
  }
  out.push(bytes.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const CONTENT_SEQUENCE = 0x0040a730;
const CONCEPT_NAME = 0x0040a043;
const CODE_MEANING = 0x00080104;
const CODE_VALUE = 0x00080100;

/** The content items under a data set or content item (its ContentSequence), to edit in place. */
export function contentOf(elements: TreeElement[]): TreeElement[][] {
  const sequence = elements.find((e) => e.tag === CONTENT_SEQUENCE);
  if (!sequence?.items) throw new Error('no ContentSequence here');
  return sequence.items;
}

/** The concept name of a content item, as `value|meaning`. */
export function conceptOf(item: TreeElement[]): string {
  const name = item.find((e) => e.tag === CONCEPT_NAME)?.items?.[0] ?? [];
  const text = (tag: number) => new TextDecoder().decode(name.find((e) => e.tag === tag)?.value ?? new Uint8Array()).replace(/[\0 ]+$/, '');
  return `${text(CODE_VALUE)}|${text(CODE_MEANING)}`;
}

const named = (item: TreeElement[], name: string) => {
  const [value, meaning] = conceptOf(item).split('|');
  return name === value || name === meaning;
};

/** The text of a TEXT content item directly under `item`, by its concept name. */
export function textUnder(item: TreeElement[], name: string): string | null {
  const child = item.find((e) => e.tag === CONTENT_SEQUENCE)?.items?.find((c) => named(c, name));
  const value = child?.find((e) => e.tag === 0x0040a160)?.value;
  return value ? new TextDecoder().decode(value).replace(/[\0 ]+$/, '') : null;
}

/** The one content item under `elements` whose concept name (code value or meaning) is `name`. */
export function itemNamed(elements: TreeElement[], name: string): TreeElement[] {
  const found = contentOf(elements).filter((item) => named(item, name));
  if (found.length !== 1) throw new Error(`${found.length} content items named ${name}`);
  return found[0]!;
}

/** Removes the content items under `elements` named `name` (and passing `also`); returns how many. */
export function removeItems(elements: TreeElement[], name: string, also: (item: TreeElement[]) => boolean = () => true): number {
  const items = contentOf(elements);
  const before = items.length;
  items.splice(0, items.length, ...items.filter((item) => !(named(item, name) && also(item))));
  return before - items.length;
}

export function removeElement(elements: TreeElement[], tag: number): void {
  const at = elements.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no element ${tag.toString(16)}`);
  elements.splice(at, 1);
}

export function reencode(bytes: Uint8Array, change: (tree: Part10Tree) => void, defined = false): Uint8Array {
  const tree = parseTree(bytes);
  change(tree);
  return encodeTree(tree, { defined }).bytes;
}
