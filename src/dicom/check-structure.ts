import { ProblemCode, ReadError } from '../model/problems.ts';
import { tagKey, type DicomDataSet, type DicomElement, type DicomItem } from './data-set.ts';
import type { ReadLimits } from './read-limits.ts';

const PREAMBLE_AND_PREFIX = 132;
const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;
const ITEM_KEY = tagKey(ITEM);

export const TransferSyntax = {
  ImplicitLittle: '1.2.840.10008.1.2',
  ExplicitBig: '1.2.840.10008.1.2.2',
  Deflated: '1.2.840.10008.1.2.1.99',
} as const;

/** VRs whose length field is 4 bytes, exactly as dicom-parser decides it (so both walk the same bytes). */
const LONG_VRS = ['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN'];
const SHORT_VRS = ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US'];
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

/** A VR by its two bytes as one number, so no string is made to look it up. */
const vrCode = (vr: string) => (vr.charCodeAt(0) << 8) | vr.charCodeAt(1);
const LONG_VR_BY_CODE = new Map(LONG_VRS.map((vr) => [vrCode(vr), vr]));
const SHORT_VR_BY_CODE = new Map(SHORT_VRS.map((vr) => [vrCode(vr), vr]));

/** Sequences a content item of the deepest allowed level still nests: concept name, measured value, its units. */
const SEQUENCES_BELOW_DEEPEST_ITEM = 4;

/**
 * Walks every element header of a Part 10 file and refuses what must not be read: a file that
 * ends inside an element, item or sequence (TRUNCATED, also when an undefined length never meets
 * its delimiter or a declared length runs past the end), structure that does not nest
 * (DICOM_UNREADABLE), and more work than the limits allow (LIMIT_EXCEEDED). What passes is
 * returned as the data set the walk has indexed on the way, by dicom-parser's rules (data-set.ts),
 * so the bytes are parsed once; no value is decoded here.
 */
export function checkStructure(bytes: Uint8Array, limits: ReadLimits): DicomDataSet {
  return new StructureWalker(bytes, limits).walk();
}

class StructureWalker {
  private readonly view: DataView;
  private readonly length: number;
  private littleEndian = true;
  private count = 0;
  private readonly maxSequenceDepth: number;
  private readonly bytes: Uint8Array;
  private readonly limits: ReadLimits;

  constructor(bytes: Uint8Array, limits: ReadLimits) {
    this.bytes = bytes;
    this.limits = limits;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
    this.maxSequenceDepth = limits.maxSrDepth + SEQUENCES_BELOW_DEEPEST_ITEM;
  }

  walk(): DicomDataSet {
    if (this.length > this.limits.maxFileBytes) {
      throw limit(`the file is ${this.length} bytes, more than the limit of ${this.limits.maxFileBytes}`);
    }
    // the meta information's elements are the data set's too, as dicom-parser gives them
    const dataSet: DicomDataSet = { byteArray: this.bytes, elements: {} };
    const { transferSyntax, position } = this.walkMetaHeader(dataSet.elements);
    if (transferSyntax === TransferSyntax.Deflated) {
      throw new ReadError(ProblemCode.DICOM_UNREADABLE, 'the deflated transfer syntax is not read (it cannot be bounded before inflating)');
    }
    if (position >= this.length) throw truncated(`the file ends after its meta information, at byte ${position}, with no data set`);
    this.littleEndian = transferSyntax !== TransferSyntax.ExplicitBig;
    this.walkElements(position, this.length, false, transferSyntax !== TransferSyntax.ImplicitLittle, 0, dataSet.elements);
    return dataSet;
  }

  /** Group 0002 is always explicit little endian; it ends where the first other group starts. */
  private walkMetaHeader(elements: DicomDataSet['elements']): { transferSyntax: string | null; position: number } {
    let position = PREAMBLE_AND_PREFIX;
    let transferSyntax: string | null = null;
    let declaredEnd: number | null = null;
    while (position < this.length) {
      if (position + 4 > this.length) throw this.outside(position + 4, this.length, 'a meta information element', position);
      if (this.view.getUint16(position, true) !== 0x0002) break;
      const tag = this.tagAt(position);
      const element = this.header(tag, position, this.length, true);
      if (element.length === UNDEFINED_LENGTH) throw malformed(`meta information element ${tagName(tag)} has an undefined length`);
      const end = element.dataOffset + element.length;
      if (end > this.length) throw this.outside(end, this.length, `element ${tagName(tag)}`, position);
      elements[element.tag] = element;
      if (tag === 0x00020000 && element.length === 4) declaredEnd = end + this.view.getUint32(element.dataOffset, true);
      if (tag === 0x00020010) transferSyntax = latin1UntilNul(this.bytes.subarray(element.dataOffset, end));
      position = end;
    }
    if (declaredEnd !== null && declaredEnd > this.length) {
      throw truncated(`the file ends at byte ${this.length}, inside its meta information (declared to end at byte ${declaredEnd})`);
    }
    if (transferSyntax === null) {
      if (position >= this.length) throw truncated(`the file ends at byte ${this.length}, inside its meta information`);
      throw malformed('the meta information has no transfer syntax (0002,0010)');
    }
    return { transferSyntax, position };
  }

  /**
   * The elements of a data set from `position`, into `elements`: up to `end` for a defined length,
   * or up to the item delimiter for an item of undefined length (whose elements must still end by `end`).
   */
  private walkElements(position: number, end: number, undefinedLength: boolean, explicit: boolean, depth: number, elements: DicomDataSet['elements']): number {
    const start = position;
    while (undefinedLength || position < end) {
      if (position + 4 > end) {
        throw undefinedLength
          ? this.outside(position + 4, end, 'an item of undefined length (before its delimiter)', start - 8)
          : this.outside(position + 4, end, 'a data element', position);
      }
      const tag = this.tagAt(position);
      if (tag === ITEM_DELIMITER && undefinedLength) {
        if (position + 8 > end) throw this.outside(position + 8, end, 'an item delimiter', position);
        this.checkItemDelimiterLength(position, explicit);
        return position + 8;
      }
      if (tag >>> 16 === 0xfffe) throw malformed(`a delimiter ${tagName(tag)} stands where a data element belongs, at byte ${position}`);
      position = this.walkElement(tag, position, end, explicit, depth, elements);
    }
    return position;
  }

  private walkElement(tag: number, position: number, end: number, explicit: boolean, depth: number, elements: DicomDataSet['elements']): number {
    const element = this.header(tag, position, end, explicit);
    this.counted();
    elements[element.tag] = element;
    const { dataOffset, length, vr } = element;
    const isSequence =
      vr === 'SQ' ||
      (vr === 'UN' && length === UNDEFINED_LENGTH) ||
      (vr === undefined && this.looksLikeSequence(dataOffset, length, tag));
    if (isSequence) {
      if (depth + 1 > this.maxSequenceDepth) {
        throw limit(`sequences are nested deeper than ${this.maxSequenceDepth} levels (at ${tagName(tag)}, byte ${position})`);
      }
      element.items = [];
      // dicom-parser reads an explicit UN of undefined length as an implicit sequence; so does this walk.
      const sequenceEnd = this.walkSequence(dataOffset, length, end, vr === 'SQ' ? explicit : false, depth + 1, tag, element.items);
      element.length = sequenceEnd - dataOffset;
      return sequenceEnd;
    }
    if (length === UNDEFINED_LENGTH) {
      if (tag === PIXEL_DATA) throw malformed('encapsulated pixel data does not belong in a structured report');
      throw malformed(`element ${tagName(tag)} at byte ${position} has an undefined length but is not a sequence`);
    }
    const valueEnd = dataOffset + length;
    if (valueEnd > end) throw this.outside(valueEnd, end, `element ${tagName(tag)}`, position);
    if (length > this.limits.maxElementBytes) {
      throw limit(`element ${tagName(tag)} is ${length} bytes long, more than the limit of ${this.limits.maxElementBytes}`);
    }
    if (vr !== undefined && length > this.limits.maxTextBytes && TEXT_VRS.has(vr)) {
      throw limit(`text element ${tagName(tag)} is ${length} bytes long, more than the limit of ${this.limits.maxTextBytes}`);
    }
    return valueEnd;
  }

  private walkSequence(start: number, length: number, end: number, explicit: boolean, depth: number, tag: number, items: DicomItem[]): number {
    if (length === UNDEFINED_LENGTH) {
      let position = start;
      for (;;) {
        if (position + 4 > end) throw this.outside(position + 4, end, `sequence ${tagName(tag)} of undefined length (before its delimiter)`, start);
        if (this.tagAt(position) === SEQUENCE_DELIMITER) {
          if (position + 8 > end) throw this.outside(position + 8, end, `the delimiter of sequence ${tagName(tag)}`, position);
          return position + 8;
        }
        position = this.walkItem(position, end, explicit, depth, tag, items);
      }
    }
    const sequenceEnd = start + length;
    if (sequenceEnd > end) throw this.outside(sequenceEnd, end, `sequence ${tagName(tag)}`, start);
    let position = start;
    while (position < sequenceEnd) position = this.walkItem(position, sequenceEnd, explicit, depth, tag, items);
    return position;
  }

  private walkItem(position: number, end: number, explicit: boolean, depth: number, sequence: number, items: DicomItem[]): number {
    if (position + 8 > end) throw this.outside(position + 8, end, `an item of sequence ${tagName(sequence)}`, position);
    const tag = this.tagAt(position);
    if (tag !== ITEM) throw malformed(`sequence ${tagName(sequence)} holds ${tagName(tag)} at byte ${position} where an item belongs`);
    this.counted();
    const length = this.uint32(position + 4);
    const dataSet: DicomDataSet = { byteArray: this.bytes, elements: {} };
    const dataOffset = position + 8;
    let itemEnd: number;
    if (length === UNDEFINED_LENGTH) {
      itemEnd = this.walkElements(dataOffset, end, true, explicit, depth, dataSet.elements);
      // the length of what the item holds, its delimiter not counted
      items.push({ tag: ITEM_KEY, length: itemEnd - 8 - dataOffset, dataOffset, dataSet });
      return itemEnd;
    }
    itemEnd = dataOffset + length;
    if (itemEnd > end) throw this.outside(itemEnd, end, `an item of sequence ${tagName(sequence)}`, position);
    items.push({ tag: ITEM_KEY, length, dataOffset, dataSet });
    return this.walkElements(dataOffset, itemEnd, false, explicit, depth, dataSet.elements);
  }

  /**
   * An item delimiter's length is zero. dicom-parser reads the delimiter as a data element and
   * skips the value it claims (in an explicit VR file, taking bytes 4-5 as its VR and, unless
   * that is a VR with a 4-byte length, bytes 6-7 as its length); anything it would skip is a
   * damaged header after which its reading and this walk's part ways, so it is refused.
   * (A sequence delimiter's length is never read, here or by dicom-parser.)
   */
  private checkItemDelimiterLength(position: number, explicit: boolean): void {
    const code = ((this.bytes[position + 4] as number) << 8) | (this.bytes[position + 5] as number);
    const skipsNothing = explicit ? !LONG_VR_BY_CODE.has(code) && this.uint16(position + 6) === 0 : this.uint32(position + 4) === 0;
    if (!skipsNothing) {
      throw malformed(`the item delimiter at byte ${position} has a length (${this.uint32(position + 4)}), where it must have none`);
    }
  }

  /**
   * dicom-parser's rule for implicit VR: a value that starts with an item or sequence delimiter is
   * a sequence. Like dicom-parser it peeks at the next four bytes of the file, wherever the value
   * or its item ends: a value of fewer than four bytes at the end of an item (a two-byte code
   * meaning) is a value, not a structure that fails to nest. A file that ends within those four
   * bytes was cut (a whole file ends with its pixel data or a longer value).
   */
  private looksLikeSequence(valueStart: number, length: number, tag: number): boolean {
    if (valueStart + 4 > this.length) throw this.outside(valueStart + 4, this.length, `the value of element ${tagName(tag)}`, valueStart);
    const next = this.tagAt(valueStart);
    const isPrivate = ((tag >>> 16) & 1) === 1;
    return (next === ITEM || next === SEQUENCE_DELIMITER) && (!isPrivate || length === UNDEFINED_LENGTH);
  }

  private header(tag: number, position: number, end: number, explicit: boolean): DicomElement {
    if (position + 8 > end) throw this.outside(position + 8, end, 'a data element header', position);
    if (!explicit) return { tag: tagKey(tag), length: this.uint32(position + 4), dataOffset: position + 8 };
    const code = ((this.bytes[position + 4] as number) << 8) | (this.bytes[position + 5] as number);
    const longVr = LONG_VR_BY_CODE.get(code);
    if (longVr !== undefined) {
      if (position + 12 > end) throw this.outside(position + 12, end, `the header of element ${tagName(tag)}`, position);
      return { tag: tagKey(tag), vr: longVr, length: this.uint32(position + 8), dataOffset: position + 12 };
    }
    const shortVr = SHORT_VR_BY_CODE.get(code);
    if (shortVr === undefined) {
      throw malformed(`element ${tagName(tag)} at byte ${position} has no valid VR (bytes ${hex(this.bytes[position + 4])} ${hex(this.bytes[position + 5])})`);
    }
    return { tag: tagKey(tag), vr: shortVr, length: this.uint16(position + 6), dataOffset: position + 8 };
  }

  /**
   * Why `to` is out of reach, as the error to throw: past the end of the file (it was cut) or past
   * the enclosing value (it does not nest). Callers test `to > end` first, so that the message
   * is only written for a file that fails.
   */
  private outside(to: number, end: number, what: string, at: number): ReadError {
    if (to > this.length) return truncated(`the file ends at byte ${this.length}, inside ${what} that starts at byte ${at}`);
    return malformed(`${what} at byte ${at} runs past the end of its enclosing item or sequence (byte ${end})`);
  }

  private counted(): void {
    if (++this.count > this.limits.maxItems) throw limit(`the file holds more than ${this.limits.maxItems} data elements and items`);
  }

  private tagAt(position: number): number {
    return ((this.uint16(position) << 16) | this.uint16(position + 2)) >>> 0;
  }

  private uint16(position: number): number {
    return this.view.getUint16(position, this.littleEndian);
  }

  private uint32(position: number): number {
    return this.view.getUint32(position, this.littleEndian);
  }
}

function latin1UntilNul(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder('latin1').decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function tagName(tag: number): string {
  const text = tag.toString(16).padStart(8, '0').toUpperCase();
  return `(${text.slice(0, 4)},${text.slice(4)})`;
}

function hex(byte: number | undefined): string {
  return `0x${(byte ?? 0).toString(16).padStart(2, '0')}`;
}

function truncated(message: string): ReadError {
  return new ReadError(ProblemCode.TRUNCATED, `the file is truncated: ${message}`);
}

function malformed(message: string): ReadError {
  return new ReadError(ProblemCode.DICOM_UNREADABLE, `the DICOM structure is malformed: ${message}`);
}

function limit(message: string): ReadError {
  return new ReadError(ProblemCode.LIMIT_EXCEEDED, message);
}
