import dicomParser, { type DataSet } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { parserFailure } from '../../src/dicom/parser-failure.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { Tag } from '../../src/dicom/tags.ts';

describe('what dicom-parser throws becomes a typed error', () => {
  it('a JS TypeError from inside the parser is DICOM_UNREADABLE without its JS message', () => {
    const error = parserFailure({ exception: new TypeError("Cannot read properties of undefined (reading 'length')") });
    expect(error.code).toBe('DICOM_UNREADABLE');
    expect(error.message).not.toMatch(/Cannot read|undefined|TypeError/);
  });

  it('a thrown string about reading past the end is TRUNCATED', () => {
    expect(parserFailure('dicomParser.readFixedString: attempt to read past end of buffer').code).toBe('TRUNCATED');
    expect(parserFailure({ exception: 'dicomParser:parseDicomDataSetExplicit: buffer overrun' }).code).toBe('TRUNCATED');
  });

  it('any other thrown string is DICOM_UNREADABLE, quoted and without the function name', () => {
    const error = parserFailure('dicomParser.parseDicom: no inflater available to handle deflate transfer syntax');
    expect(error).toMatchObject({ code: 'DICOM_UNREADABLE', message: "the DICOM data cannot be read: 'no inflater available to handle deflate transfer syntax'" });
  });
});

describe('text is decoded from the bytes, never by dicom-parser accessors that throw strings', () => {
  it('an element that claims more bytes than the data set holds gives what is there, and no thrown string', () => {
    const bytes = new TextEncoder().encode('ISO_IR 192');
    // the typings know DataSet only as an interface; the class is there at run time
    const { DataSet: DataSetClass } = dicomParser as unknown as { DataSet: new (parser: unknown, bytes: Uint8Array, elements: unknown) => DataSet };
    const dataSet = new DataSetClass(dicomParser.littleEndianByteArrayParser, bytes, {
      [Tag.SpecificCharacterSet]: { tag: Tag.SpecificCharacterSet, length: 40, dataOffset: 0 },
      [Tag.PatientName]: { tag: Tag.PatientName, length: 12, dataOffset: 6 },
    });
    expect(() => dataSet.string(Tag.SpecificCharacterSet)).toThrow();
    const text = textReaderFor(dataSet);
    expect(text.characterSet).toBe('ISO_IR 192');
    expect(text.string(dataSet, Tag.PatientName)).toBe('192');
  });
});
