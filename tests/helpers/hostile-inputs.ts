import { fixtureStudy, instanceBytes } from './exports.ts';
import { contentOf, encodeTree, parseTree, type TreeElement } from './dicom-tree.ts';

const IMAGE_COMMENTS = 0x00204000;
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Fixture 01's first SR whose `<DXA_RESULTS>` copy (as UT) gives L1-L4 a BMD of `digits` nines. */
export function hugeXmlNumber(digits: number): Uint8Array {
  const tree = parseTree(instanceBytes(fixtureStudy('01'), 0));
  const comments = tree.dataSet.find((e) => e.tag === IMAGE_COMMENTS) as TreeElement;
  const xml = new TextDecoder('latin1').decode(comments.value);
  const at = xml.indexOf('<BMD ', xml.indexOf('region="L1-L4"'));
  const start = xml.indexOf('>', at) + 1;
  const end = xml.indexOf('</BMD>', start);
  const before = latin1(xml.slice(0, start));
  const after = latin1(xml.slice(end));
  const value = new Uint8Array(before.length + digits + after.length + ((before.length + digits + after.length) % 2));
  value.set(before);
  value.fill(0x39, before.length, before.length + digits);
  value.set(after, before.length + digits);
  value.fill(0x20, before.length + digits + after.length);
  comments.vr = 'UT';
  comments.value = value;
  return encodeTree(tree, { defined: false }).bytes;
}

const ITEM = [0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff];
const ITEM_END = [0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0];
const SEQUENCE_END = [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];
const CONTAINER = [0x40, 0x00, 0x40, 0xa0, 0x43, 0x53, 0x0a, 0x00, ...latin1('CONTAINER ')];
const CONTENT_SEQUENCE = [0x40, 0x00, 0x30, 0xa7, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff];

/** Fixture 01's first SR with `count` empty CONTAINER items added to its root content. */
export function manyContainers(count: number): Uint8Array {
  const item = Uint8Array.of(...ITEM, ...CONTAINER, ...ITEM_END);
  return spliceIntoRootContent(count * item.length, (out, at) => {
    for (let i = 0; i < count; i++) out.set(item, at + i * item.length);
  });
}

/** Fixture 01's first SR with a chain of `depth` CONTAINER items, each inside the one before, added to its root content. */
export function deepNesting(depth: number): Uint8Array {
  const open = Uint8Array.of(...ITEM, ...CONTAINER, ...CONTENT_SEQUENCE);
  const innermost = Uint8Array.of(...ITEM, ...CONTAINER, ...ITEM_END);
  const close = Uint8Array.of(...SEQUENCE_END, ...ITEM_END);
  return spliceIntoRootContent(depth * (open.length + close.length) + innermost.length, (out, at) => {
    for (let i = 0; i < depth; i++) out.set(open, at + i * open.length);
    out.set(innermost, at + depth * open.length);
    const closing = at + depth * open.length + innermost.length;
    for (let i = 0; i < depth; i++) out.set(close, closing + i * close.length);
  });
}

/** Fixture 01's first SR with `count` TEXT items of `bytes` each (non-ASCII UTF-8) in its root content: the most text the limits let through. */
export function manyLongTexts(count: number, bytes = 1024 ** 2 - 2): Uint8Array {
  const text = new Uint8Array(bytes).fill(0xa9);
  for (let i = 0; i < bytes; i += 2) text[i] = 0xc2; // © in UTF-8
  const header = Uint8Array.of(...ITEM, 0x40, 0x00, 0x40, 0xa0, 0x43, 0x53, 0x04, 0x00, ...latin1('TEXT'), 0x40, 0x00, 0x60, 0xa1, 0x55, 0x54, 0, 0,
    bytes & 0xff, (bytes >>> 8) & 0xff, (bytes >>> 16) & 0xff, bytes >>> 24);
  const size = header.length + bytes + ITEM_END.length;
  return spliceIntoRootContent(count * size, (out, at) => {
    for (let i = 0; i < count; i++) {
      out.set(header, at + i * size);
      out.set(text, at + i * size + header.length);
      out.set(ITEM_END, at + i * size + header.length + bytes);
    }
  });
}

/** The fixture's bytes with `size` bytes written by `fill` just before the root ContentSequence's delimiter. */
function spliceIntoRootContent(size: number, fill: (out: Uint8Array, at: number) => void): Uint8Array {
  const tree = parseTree(instanceBytes(fixtureStudy('01'), 0));
  contentOf(tree.dataSet).push([{ tag: 0x7777_0010, vr: 'LO', value: latin1('MARK') }]);
  const template = encodeTree(tree, { defined: false }).bytes;
  const marker = Uint8Array.of(...ITEM, 0x77, 0x77, 0x10, 0x00, 0x4c, 0x4f, 0x04, 0x00, ...latin1('MARK'), ...ITEM_END);
  const at = Buffer.from(template).indexOf(Buffer.from(marker));
  const out = new Uint8Array(template.length - marker.length + size);
  out.set(template.subarray(0, at));
  fill(out, at);
  out.set(template.subarray(at + marker.length), at + size);
  return out;
}
