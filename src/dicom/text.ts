import type { DicomDataSet } from './data-set.ts';
import { ProblemCode, ReadError } from '../model/problems.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.ts';
import { Tag } from './tags.ts';

/** DICOM defined terms for (0008,0005) mapped to WHATWG encoding labels. Source: DICOM PS3.3 C.12.1.1.2. */
const ENCODINGS: Record<string, string> = {
  '': 'latin1',
  ISO_IR_6: 'latin1',
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO 2022 IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 192': 'utf-8',
};

export interface TextReader {
  /** A string value with padding removed, or null when absent or empty. */
  string(dataSet: DicomDataSet, tag: string): string | null;
  /** All values of a multi-valued string element. */
  strings(dataSet: DicomDataSet, tag: string): string[];
  /** A text value (ST, LT, UT): trailing padding removed, inner layout kept. */
  text(dataSet: DicomDataSet, tag: string): string | null;
  readonly characterSet: string;
  readonly knownCharacterSet: boolean;
}

/**
 * Patient names need the declared character set. Every value is decoded here from the bytes
 * (never by dicom-parser's accessors, which read every byte as one character and throw strings,
 * for a data set it built), and only after its length is checked against the text limit.
 */
export function textReaderFor(dataSet: DicomDataSet, limits: ReadLimits = DEFAULT_READ_LIMITS): TextReader {
  /** The value's place in the bytes, once its length is checked; null when absent, empty or a sequence. */
  const valueOf = (ds: DicomDataSet, tag: string): { start: number; end: number } | null => {
    const element = ds.elements[tag];
    if (!element || !(element.length > 0) || element.items) return null;
    if (element.length > limits.maxTextBytes) {
      throw new ReadError(ProblemCode.LIMIT_EXCEEDED, `text element ${tagName(tag)} is ${element.length} bytes long, more than the limit of ${limits.maxTextBytes}`);
    }
    return { start: element.dataOffset, end: Math.min(element.dataOffset + element.length, ds.byteArray.length) };
  };
  const bytesOf = (ds: DicomDataSet, tag: string): Uint8Array | null => {
    const value = valueOf(ds, tag);
    return value === null ? null : ds.byteArray.subarray(value.start, value.end);
  };
  const declaredBytes = bytesOf(dataSet, Tag.SpecificCharacterSet);
  const declared = (declaredBytes ? new TextDecoder('latin1').decode(declaredBytes) : '').split('\\').map((term) => term.replace(/\0/g, '').trim());
  const characterSet = declared.find((term) => term !== '') ?? '';
  const encoding = ENCODINGS[characterSet];
  // Only UTF-8 has byte sequences that mean nothing; they are refused, never shown as U+FFFD in a name or a code.
  const decoder = new TextDecoder(encoding ?? 'latin1', { fatal: true });

  const raw = (ds: DicomDataSet, tag: string): string | null => {
    const value = valueOf(ds, tag);
    if (value === null) return null;
    // every supported character set reads ASCII as ASCII; an unknown one is read as Latin-1 anyway
    const ascii = value.end - value.start <= SHORT_ASCII_BYTES ? shortAscii(ds.byteArray, value.start, value.end) : null;
    if (ascii !== null) return ascii;
    try {
      return decoder.decode(ds.byteArray.subarray(value.start, value.end));
    } catch {
      throw new ReadError(ProblemCode.INVALID_TEXT, `text element ${tagName(tag)} is not valid in its declared character set ${characterSet}`);
    }
  };

  return {
    characterSet,
    knownCharacterSet: encoding !== undefined,
    string(ds, tag) {
      const value = raw(ds, tag);
      if (value === null) return null;
      const trimmed = value.includes('\0') ? value.replace(/[\0\s]+$/u, '').trim() : value.trim();
      return trimmed ? trimmed : null;
    },
    strings(ds, tag) {
      const value = raw(ds, tag);
      if (value === null) return [];
      return value.split('\\').map((part) => part.replace(/\0/g, '').trim());
    },
    text(ds, tag) {
      const value = raw(ds, tag);
      if (value === null) return null;
      const trimmed = value.includes('\0') ? value.replace(/[\0\s]+$/u, '') : value.trimEnd();
      return trimmed ? trimmed : null;
    },
  };
}

/**
 * Names, codes and numbers are a few dozen bytes: decoding them in JavaScript is cheaper than a
 * call into TextDecoder. Longer values (the XML copy, the Hologic blob) go to the decoder.
 */
const SHORT_ASCII_BYTES = 128;

/** The bytes from `start` to `end` as a string when every one is ASCII, else null. */
function shortAscii(bytes: Uint8Array, start: number, end: number): string | null {
  let value = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte > 0x7f) return null;
    value += String.fromCharCode(byte);
  }
  return value;
}

/** `x00100010` → `(0010,0010)` */
function tagName(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()})`;
}
