import { ProblemCode, ReadError } from '../model/problems.ts';
import type { ReadLimits } from './read-limits.ts';

const PREAMBLE_AND_PREFIX = 132;
const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;

export const TransferSyntax = {
  ImplicitLittle: '1.2.840.10008.1.2',
  ExplicitBig: '1.2.840.10008.1.2.2',
  Deflated: '1.2.840.10008.1.2.1.99',
} as const;

/** VRs whose length field is 4 bytes, exactly as dicom-parser decides it (so both walk the same bytes). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UR', 'UT', 'UN']);
const SHORT_VRS = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US']);
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

/** Sequences a content item of the deepest allowed level still nests: concept name, measured value, its units. */
const SEQUENCES_BELOW_DEEPEST_ITEM = 4;

/**
 * Walks every element header of a Part 10 file before dicom-parser sees it, and refuses what it
 * must not be given: a file that ends inside an element, item or sequence (TRUNCATED, also when
 * an undefined length never meets its delimiter or a declared length runs past the end),
 * structure that does not nest (DICOM_UNREADABLE), and more work than the limits allow
 * (LIMIT_EXCEEDED). Nothing is decoded or allocated per element here.
 */
export function checkStructure(bytes: Uint8Array, limits: ReadLimits): void {
  new StructureWalker(bytes, limits).walk();
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

  walk(): void {
    if (this.length > this.limits.maxFileBytes) {
      throw limit(`the file is ${this.length} bytes, more than the limit of ${this.limits.maxFileBytes}`);
    }
    const { transferSyntax, position } = this.walkMetaHeader();
    if (transferSyntax === TransferSyntax.Deflated) {
      throw new ReadError(ProblemCode.DICOM_UNREADABLE, 'the deflated transfer syntax is not read (it cannot be bounded before inflating)');
    }
    if (position >= this.length) throw truncated(`the file ends after its meta information, at byte ${position}, with no data set`);
    this.littleEndian = transferSyntax !== TransferSyntax.ExplicitBig;
    this.walkElements(position, this.length, false, transferSyntax !== TransferSyntax.ImplicitLittle, 0);
  }

  /** Group 0002 is always explicit little endian; it ends where the first other group starts. */
  private walkMetaHeader(): { transferSyntax: string | null; position: number } {
    let position = PREAMBLE_AND_PREFIX;
    let transferSyntax: string | null = null;
    let declaredEnd: number | null = null;
    while (position < this.length) {
      this.need(position + 4, this.length, 'a meta information element', position);
      if (this.view.getUint16(position, true) !== 0x0002) break;
      const element = this.header(position, this.length, true);
      if (element.length === UNDEFINED_LENGTH) throw malformed(`meta information element ${element.name} has an undefined length`);
      const end = element.valueStart + element.length;
      this.need(end, this.length, `element ${element.name}`, position);
      if (element.tag === 0x00020000 && element.length === 4) declaredEnd = end + this.view.getUint32(element.valueStart, true);
      if (element.tag === 0x00020010) transferSyntax = latin1UntilNul(this.bytes.subarray(element.valueStart, end));
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
   * The elements of a data set from `position`: up to `end` for a defined length, or up to the
   * item delimiter for an item of undefined length (whose elements must still end by `end`).
   */
  private walkElements(position: number, end: number, undefinedLength: boolean, explicit: boolean, depth: number): number {
    const start = position;
    while (undefinedLength || position < end) {
      if (undefinedLength) this.need(position + 4, end, 'an item of undefined length (before its delimiter)', start - 8);
      else this.need(position + 4, end, 'a data element', position);
      const tag = this.tagAt(position);
      if (tag === ITEM_DELIMITER && undefinedLength) {
        this.need(position + 8, end, 'an item delimiter', position);
        return position + 8;
      }
      if (tag >>> 16 === 0xfffe) throw malformed(`a delimiter ${tagName(tag)} stands where a data element belongs, at byte ${position}`);
      position = this.walkElement(position, end, explicit, depth);
    }
    return position;
  }

  private walkElement(position: number, end: number, explicit: boolean, depth: number): number {
    const element = this.header(position, end, explicit);
    this.counted();
    const { valueStart, length, name } = element;
    const vr = element.vr;
    const isSequence =
      vr === 'SQ' ||
      (vr === 'UN' && length === UNDEFINED_LENGTH) ||
      (vr === null && this.looksLikeSequence(valueStart, length, element.tag));
    if (isSequence) {
      if (depth + 1 > this.maxSequenceDepth) {
        throw limit(`sequences are nested deeper than ${this.maxSequenceDepth} levels (at ${name}, byte ${position})`);
      }
      // dicom-parser reads an explicit UN of undefined length as an implicit sequence; so does this walk.
      return this.walkSequence(element.valueStart, length, end, vr === 'SQ' ? explicit : false, depth + 1, name);
    }
    if (length === UNDEFINED_LENGTH) {
      if (element.tag === PIXEL_DATA) throw malformed('encapsulated pixel data does not belong in a structured report');
      throw malformed(`element ${name} at byte ${position} has an undefined length but is not a sequence`);
    }
    const valueEnd = valueStart + length;
    this.need(valueEnd, end, `element ${name}`, position);
    if (length > this.limits.maxElementBytes) {
      throw limit(`element ${name} is ${length} bytes long, more than the limit of ${this.limits.maxElementBytes}`);
    }
    if (vr !== null && TEXT_VRS.has(vr) && length > this.limits.maxTextBytes) {
      throw limit(`text element ${name} is ${length} bytes long, more than the limit of ${this.limits.maxTextBytes}`);
    }
    return valueEnd;
  }

  private walkSequence(start: number, length: number, end: number, explicit: boolean, depth: number, name: string): number {
    if (length === UNDEFINED_LENGTH) {
      let position = start;
      for (;;) {
        this.need(position + 4, end, `sequence ${name} of undefined length (before its delimiter)`, start);
        const tag = this.tagAt(position);
        if (tag === SEQUENCE_DELIMITER) {
          this.need(position + 8, end, `the delimiter of sequence ${name}`, position);
          return position + 8;
        }
        position = this.walkItem(position, end, explicit, depth, name);
      }
    }
    const sequenceEnd = start + length;
    this.need(sequenceEnd, end, `sequence ${name}`, start);
    let position = start;
    while (position < sequenceEnd) position = this.walkItem(position, sequenceEnd, explicit, depth, name);
    return position;
  }

  private walkItem(position: number, end: number, explicit: boolean, depth: number, sequence: string): number {
    this.need(position + 8, end, `an item of sequence ${sequence}`, position);
    const tag = this.tagAt(position);
    if (tag !== ITEM) throw malformed(`sequence ${sequence} holds ${tagName(tag)} at byte ${position} where an item belongs`);
    this.counted();
    const length = this.uint32(position + 4);
    if (length === UNDEFINED_LENGTH) return this.walkElements(position + 8, end, true, explicit, depth);
    const itemEnd = position + 8 + length;
    this.need(itemEnd, end, `an item of sequence ${sequence}`, position);
    return this.walkElements(position + 8, itemEnd, false, explicit, depth);
  }

  /**
   * dicom-parser's rule for implicit VR: a value that starts with an item or sequence delimiter is
   * a sequence. Like dicom-parser it peeks at the next four bytes of the file, wherever the value
   * or its item ends: a value of fewer than four bytes at the end of an item (a two-byte code
   * meaning) is a value, not a structure that fails to nest. A file that ends within those four
   * bytes was cut (a whole file ends with its pixel data or a longer value).
   */
  private looksLikeSequence(valueStart: number, length: number, tag: number): boolean {
    this.need(valueStart + 4, this.length, `the value of element ${tagName(tag)}`, valueStart);
    const next = this.tagAt(valueStart);
    const isPrivate = ((tag >>> 16) & 1) === 1;
    return (next === ITEM || next === SEQUENCE_DELIMITER) && (!isPrivate || length === UNDEFINED_LENGTH);
  }

  private header(position: number, end: number, explicit: boolean): { tag: number; name: string; vr: string | null; length: number; valueStart: number } {
    this.need(position + 8, end, 'a data element header', position);
    const tag = this.tagAt(position);
    const name = tagName(tag);
    if (!explicit) return { tag, name, vr: null, length: this.uint32(position + 4), valueStart: position + 8 };
    const vr = String.fromCharCode(this.bytes[position + 4] as number, this.bytes[position + 5] as number);
    if (LONG_VRS.has(vr)) {
      this.need(position + 12, end, `the header of element ${name}`, position);
      return { tag, name, vr, length: this.uint32(position + 8), valueStart: position + 12 };
    }
    if (!SHORT_VRS.has(vr)) throw malformed(`element ${name} at byte ${position} has no valid VR (bytes ${hex(this.bytes[position + 4])} ${hex(this.bytes[position + 5])})`);
    return { tag, name, vr, length: this.uint16(position + 6), valueStart: position + 8 };
  }

  /** `to` must be within the file (else the file was cut) and within the enclosing value (else it does not nest). */
  private need(to: number, end: number, what: string, at: number): void {
    if (to > this.length) throw truncated(`the file ends at byte ${this.length}, inside ${what} that starts at byte ${at}`);
    if (to > end) throw malformed(`${what} at byte ${at} runs past the end of its enclosing item or sequence (byte ${end})`);
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
