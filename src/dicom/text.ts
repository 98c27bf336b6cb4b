import type { DataSet } from 'dicom-parser';

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
  string(dataSet: DataSet, tag: string): string | null;
  /** All values of a multi-valued string element. */
  strings(dataSet: DataSet, tag: string): string[];
  /** A text value (ST, LT, UT): trailing padding removed, inner layout kept. */
  text(dataSet: DataSet, tag: string): string | null;
  readonly characterSet: string;
  readonly knownCharacterSet: boolean;
}

/** dicom-parser reads every byte as one character; patient names need the declared character set. */
export function textReaderFor(dataSet: DataSet): TextReader {
  const declared = (dataSet.string('x00080005') ?? '').split('\\').map((term) => term.trim());
  const characterSet = declared.find((term) => term !== '') ?? '';
  const encoding = ENCODINGS[characterSet];
  const decoder = new TextDecoder(encoding ?? 'latin1');

  const raw = (ds: DataSet, tag: string): string | null => {
    const element = ds.elements[tag];
    if (!element || element.length <= 0) return null;
    return decoder.decode(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length));
  };

  return {
    characterSet,
    knownCharacterSet: encoding !== undefined,
    string(ds, tag) {
      const value = raw(ds, tag)?.replace(/[\0\s]+$/u, '').trim();
      return value ? value : null;
    },
    strings(ds, tag) {
      const value = raw(ds, tag);
      if (value === null) return [];
      return value.split('\\').map((part) => part.replace(/\0/g, '').trim());
    },
    text(ds, tag) {
      const value = raw(ds, tag)?.replace(/[\0\s]+$/u, '');
      return value ? value : null;
    },
  };
}
