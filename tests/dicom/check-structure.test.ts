import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkStructure } from '../../src/dicom/check-structure.ts';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { part10Header } from '../../src/network/receiver-file.ts';
import { DEFAULT_READ_LIMITS } from '../../src/dicom/read-limits.ts';
import { ReadError } from '../../src/model/problems.ts';
import { encodeTree, parseTree } from '../helpers/dicom-tree.ts';
import { fixtureStudy, instanceBytes, profileBytes, readBad } from '../helpers/exports.ts';

const fixtureFile = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

function parseError(bytes: Uint8Array): ReadError {
  try {
    parseDicomBytes(bytes, DEFAULT_READ_LIMITS);
  } catch (error) {
    if (error instanceof ReadError) return error;
    throw error;
  }
  throw new Error('expected the bytes to be refused');
}

/** (gggg,eeee) little endian, as the tag is written in the file. */
const tagBytes = (group: number, element: number) => Buffer.from([group & 0xff, group >> 8, element & 0xff, element >> 8]);

describe('a file is whole before it is read', () => {
  it("fixture 17's VFA cut to its first 1,906 bytes is TRUNCATED, not a study without vertebrae", () => {
    const failure = readBad(fixtureFile('17-vfa-biconcave-woman-75/PR0001.dcm').subarray(0, 1906));
    expect(failure.code).toBe('TRUNCATED');
    expect(failure.error).toContain('ends at byte 1906');
  });

  for (const [name, bytes] of [
    ['a GE SR', instanceBytes(fixtureStudy('01'), 0)],
    ['a profile SR', profileBytes(fixtureStudy('17'), 0)],
  ] as const) {
    for (const defined of [false, true]) {
      it(`${name} cut at any element, item or delimiter boundary is TRUNCATED (${defined ? 'defined' : 'undefined'} lengths)`, () => {
        const { bytes: whole, boundaries } = encodeTree(parseTree(bytes), { defined });
        const contentStart = Buffer.from(whole).indexOf(tagBytes(0x0040, 0xa730));
        expect(boundaries.filter((offset) => offset > contentStart).length).toBeGreaterThan(100);
        // before the content too: a report cut before its content sequence is not a report without content
        for (const offset of boundaries.filter((at) => at < whole.length)) {
          expect(readBad(whole.subarray(0, offset), `cut-${offset}`).code, `cut at ${offset}`).toBe('TRUNCATED');
        }
      });
    }
  }

  it('a defined length that runs past the end of the file is TRUNCATED', () => {
    const { bytes } = encodeTree(parseTree(instanceBytes(fixtureStudy('14'), 0)), { defined: true });
    expect(parseError(bytes.subarray(0, bytes.length - 1)).code).toBe('TRUNCATED');
  });

  it('an element longer than the item holding it is malformed, not truncated', () => {
    const { bytes } = encodeTree(parseTree(profileBytes(fixtureStudy('15'), 0)), { defined: true });
    const copy = Buffer.from(bytes);
    // the first CodeMeaning (0008,0104) LO inside an item: make it claim 200 bytes more than it has
    const at = copy.indexOf(Buffer.concat([tagBytes(0x0008, 0x0104), Buffer.from('LO')]), copy.indexOf(tagBytes(0x0040, 0xa730)));
    copy.writeUInt16LE(copy.readUInt16LE(at + 6) + 200, at + 6);
    const error = parseError(copy);
    expect(error.code).toBe('DICOM_UNREADABLE');
    expect(error.message).toContain('runs past the end of its enclosing item');
  });

  it('an element with an invalid VR is malformed', () => {
    const copy = Buffer.from(instanceBytes(fixtureStudy('02'), 0));
    const at = copy.indexOf(Buffer.concat([tagBytes(0x0010, 0x0010), Buffer.from('PN')]));
    copy.write('\u0001z', at + 4, 'latin1');
    expect(parseError(copy)).toMatchObject({ code: 'DICOM_UNREADABLE' });
    expect(parseError(copy).message).toContain('(0010,0010)');
  });

  it('an item delimiter with a length is malformed, not read past as if it had none', () => {
    const { bytes } = encodeTree(parseTree(instanceBytes(fixtureStudy('04'), 0)), { defined: false });
    const copy = Buffer.from(bytes);
    const at = copy.indexOf(Buffer.concat([tagBytes(0xfffe, 0xe00d), Buffer.alloc(4)]), copy.indexOf(tagBytes(0x0040, 0xa730)));
    expect(at).toBeGreaterThan(0);
    copy.writeUInt32LE(0x10000000, at + 4);
    const error = parseError(copy);
    expect(error.code).toBe('DICOM_UNREADABLE');
    expect(error.message).toContain(`the item delimiter at byte ${at} has a length`);
  });

  it('an undefined length on an element that is not a sequence is malformed', () => {
    const copy = Buffer.from(instanceBytes(fixtureStudy('02'), 0));
    const at = copy.indexOf(Buffer.concat([tagBytes(0x0020, 0x4000), Buffer.from('LT')]));
    // LT has a 2-byte length; turn it into UN (4-byte length) of undefined length
    copy.write('UN', at + 4, 'latin1');
    copy.writeUInt16LE(0, at + 6);
    copy.writeUInt32LE(0xffffffff, at + 8);
    expect(['DICOM_UNREADABLE', 'TRUNCATED']).toContain(parseError(copy).code);
  });

  it('a file shorter than the preamble that is all zeros is the start of a file, not something else', () => {
    expect(readBad(new Uint8Array(100)).code).toBe('TRUNCATED');
    expect(readBad(Buffer.from('just a note, not DICOM')).code).toBe('NOT_DICOM');
  });

  it('the deflated transfer syntax is refused: it cannot be bounded before inflating', () => {
    const copy = Buffer.from(instanceBytes(fixtureStudy('02'), 0));
    const at = copy.indexOf('1.2.840.10008.1.2.1\0');
    expect(at).toBeGreaterThan(0);
    const tag = copy.indexOf(tagBytes(0x0002, 0x0010));
    // same length: "1.2.840.10008.1.2.1.99" does not fit, so shorten the element instead
    const deflated = Buffer.from('1.2.840.10008.1.2.1.99');
    const rebuilt = Buffer.concat([copy.subarray(0, tag + 6), Buffer.from([deflated.length, 0]), deflated, copy.subarray(at + 20)]);
    const groupLength = rebuilt.indexOf(tagBytes(0x0002, 0x0000));
    rebuilt.writeUInt32LE(rebuilt.readUInt32LE(groupLength + 8) + 2, groupLength + 8);
    expect(parseError(rebuilt).code).toBe('DICOM_UNREADABLE');
    expect(parseError(rebuilt).message).toContain('deflated');
  });
});

describe('implicit VR little endian (as a DICOM sender may send it)', () => {
  const element = (group: number, number: number, value: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(group, 0);
    head.writeUInt16LE(number, 2);
    head.writeUInt32LE(value.length, 4);
    return Buffer.concat([head, value]);
  };
  const item = (content: Buffer) => element(0xfffe, 0xe000, content);

  it('a value of fewer than four bytes at the end of an item is a value: the walk peeks past it as dicom-parser does', () => {
    const meta = part10Header({ sopClassUid: '1.2.840.10008.5.1.4.1.1.88.22', sopInstanceUid: '2.25.1', transferSyntaxUid: '1.2.840.10008.1.2', sourceAeTitle: 'TEST' });
    const dataSet = Buffer.concat([
      element(0x0008, 0x0016, Buffer.from('1.2.840.10008.5.1.4.1.1.88.22\0', 'latin1')),
      element(0x0040, 0xa043, item(Buffer.concat([element(0x0008, 0x0100, Buffer.from('12', 'latin1')), element(0x0008, 0x0104, Buffer.from('OK', 'latin1'))]))),
      element(0x0010, 0x0020, Buffer.from('PATIENT-0001', 'latin1')),
    ]);
    expect(() => checkStructure(new Uint8Array(Buffer.concat([meta, dataSet])), DEFAULT_READ_LIMITS)).not.toThrow();
  });
});
