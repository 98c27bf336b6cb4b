import dicomParser, { type DataSet } from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { Tag } from '../../src/dicom/tags.ts';
import { uidFor } from '../../src/fixtures/deterministic.ts';
import { writeDicomFile } from '../../src/fixtures/write-dicom.ts';
import { dicomDateToIso } from '../../src/dicom/dates.ts';

function nameRead(characterSet: string | undefined, encode: (text: string) => Uint8Array) {
  const bytes = writeDicomFile({
    ...(characterSet ? { SpecificCharacterSet: characterSet } : {}),
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.22',
    SOPInstanceUID: uidFor(`text-test/${characterSet}`),
    PatientName: 'PLACEHOLDER^XXXXXX',
  });
  // dcmjs writes strings as UTF-8; put the bytes of the wanted encoding in place of the placeholder
  const buffer = Buffer.from(bytes);
  const at = buffer.indexOf('PLACEHOLDER^XXXXXX');
  const wanted = encode('Eëkhout^Loïs');
  const padded = new Uint8Array(18).fill(0x20);
  padded.set(wanted);
  buffer.set(padded, at);
  const dataSet = parseDicomBytes(new Uint8Array(buffer));
  return textReaderFor(dataSet).string(dataSet, Tag.PatientName);
}

describe('text in the declared character set', () => {
  it('decodes UTF-8 (ISO_IR 192)', () => {
    expect(nameRead('ISO_IR 192', (text) => new TextEncoder().encode(text))).toBe('Eëkhout^Loïs');
  });

  it('decodes Latin-1 (ISO_IR 100)', () => {
    expect(nameRead('ISO_IR 100', (text) => Uint8Array.from(text, (c) => c.charCodeAt(0)))).toBe('Eëkhout^Loïs');
  });

  it('reads DICOM dates as calendar dates and refuses impossible ones', () => {
    expect(dicomDateToIso('20260314')).toBe('2026-03-14');
    expect(dicomDateToIso('2026.03.14')).toBe('2026-03-14');
    expect(dicomDateToIso('20260230')).toBeNull();
    expect(dicomDateToIso('2015/1/20')).toBeNull();
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
