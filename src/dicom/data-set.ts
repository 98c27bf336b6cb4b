/**
 * A parsed data set as the readers use it: where each element's value lies in the file's bytes,
 * keyed by tag, with sequences as items holding their own data sets. The shape is dicom-parser's
 * (`xggggeeee` keys, `dataOffset`, `items[].dataSet`), so a data set dicom-parser built reads the
 * same; values are never decoded here (dicom/text.ts does that, for the elements read).
 */
export interface DicomElement {
  tag: string;
  /** as written in an explicit VR file; absent in an implicit VR one */
  vr?: string;
  length: number;
  dataOffset: number;
  /** a sequence's items, in order */
  items?: DicomItem[];
}

export interface DicomItem {
  tag: string;
  length: number;
  dataOffset: number;
  dataSet?: DicomDataSet;
}

export interface DicomDataSet {
  byteArray: Uint8Array;
  elements: Record<string, DicomElement | undefined>;
}

const HEX_DIGITS = '0123456789abcdef';
/** Both halves of a tag formatted once each: at most 65,536 short strings, however many files are read. */
const halves: (string | undefined)[] = new Array<string | undefined>(0x10000);

/** `x` and the tag's eight lowercase hex digits, without formatting a number for every element. */
export function tagKey(tag: number): string {
  return `x${half(tag >>> 16)}${half(tag & 0xffff)}`;
}

function half(value: number): string {
  let text = halves[value];
  if (text === undefined) {
    text =
      HEX_DIGITS.charAt((value >>> 12) & 0xf) +
      HEX_DIGITS.charAt((value >>> 8) & 0xf) +
      HEX_DIGITS.charAt((value >>> 4) & 0xf) +
      HEX_DIGITS.charAt(value & 0xf);
    halves[value] = text;
  }
  return text;
}
