import { describe, expect, it } from 'vitest';
import { itemNamed, reencode, removeElement, textUnder, contentOf } from '../helpers/dicom-tree.ts';
import { fixtureStudy, instanceBytes, profileBytes, readBad, readOk } from '../helpers/exports.ts';

const MEASURED_VALUE_SEQUENCE = 0x0040a300;
const TEXT_VALUE = 0x0040a160;

/**
 * Regressions from the fuzz run: one damaged code or byte that used to drop an item silently
 * and change the diagnosis while the letters stayed releasable.
 */
const replaceAt = (bytes: Uint8Array, from: string, to: string, occurrence = 0) => {
  if (from.length !== to.length) throw new Error('same length only');
  const copy = Buffer.from(bytes);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = copy.indexOf(from, at + 1);
  if (at < 0) throw new Error(`'${from}' not found`);
  copy.write(to, at, 'latin1');
  return new Uint8Array(copy);
};

describe('a damaged item is refused, never skipped', () => {
  it('profile: a T-score whose LOINC code is damaged (osteoporosis read as osteopenia before)', () => {
    const bytes = profileBytes(fixtureStudy('21'), 0);
    expect(readOk(bytes).measurements.some((m) => m.tScore === -2.6)).toBe(true);
    const failure = readBad(replaceAt(bytes, '38263-0', '38263-9'));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('which the profile does not define there');
  });

  it('profile: a VFA height whose concept is damaged', () => {
    const failure = readBad(replaceAt(profileBytes(fixtureStudy('19'), 0), 'VFA-HM', 'VFA-HX'));
    expect(failure).toMatchObject({ code: 'PROFILE_INVALID' });
    expect(failure.error).toContain("VFA group 'VFA T4'");
  });

  it("profile: a BMD group whose finding site is damaged is not dropped as an unknown region", () => {
    expect(readBad(replaceAt(profileBytes(fixtureStudy('21'), 0), 'FEMORAL-NECK', 'FEMORAL-NECX')).code).toBe('PROFILE_INVALID');
  });

  it("profile: the scanner's category item, damaged, is not lost (it holds the letters when it differs)", () => {
    expect(readBad(replaceAt(profileBytes(fixtureStudy('21'), 0), 'SCANNER-WHO', 'SCANNER-WHX')).code).toBe('PROFILE_INVALID');
  });

  it('bytes that are not UTF-8 in a UTF-8 file are INVALID_TEXT, not replacement characters', () => {
    const bytes = Buffer.from(instanceBytes(fixtureStudy('02'), 0));
    const at = bytes.indexOf('Botdichtheidsmeting');
    bytes[at + 3] = 0xc3;
    bytes[at + 4] = 0x28;
    expect(readBad(bytes)).toMatchObject({ code: 'INVALID_TEXT', error: expect.stringContaining('ISO_IR 192') });
  });

  it('GE: a result item whose code turned into another result’s is refused, not overwritten', () => {
    // the %YA item (code 7) of the first ROI made a second BMD (code 3); the XML copy cannot tell, the SR can
    const bytes = instanceBytes(fixtureStudy('14'), 0);
    const buffer = Buffer.from(bytes);
    const at = buffer.indexOf('BMD_PYA') - 12; // CodeValue "7 " precedes the scheme and the meaning
    const value = buffer.lastIndexOf(Buffer.from([0x08, 0x00, 0x00, 0x01]), at);
    expect(buffer.toString('latin1', value + 8, value + 9)).toBe('7');
    buffer.write('3', value + 8, 'latin1');
    const failure = readBad(buffer);
    expect(failure.code).toBe('DUPLICATE_ROI');
    expect(failure.error).toBe("BMD appears twice in ROI 'L1' (AP Spine)");
  });

  it('GE: a damaged <DXA_RESULTS> root is not taken for an export without XML copy', () => {
    const failure = readBad(replaceAt(instanceBytes(fixtureStudy('07'), 0), '<DXA_RESULTS>', '<DXA_RESULTZ>'));
    expect(failure.code).toBe('XML_UNREADABLE');
  });

  // the values stay those of the SR, so the cross-check alone would pass them: the XML itself is refused
  for (const [damage, from, to, reason] of [
    ['a closing tag that names another element', '</BMD_PYA>', '</BMD_PAY>', "element 'BMD_PYA' is closed by '</BMD_PAY>'"],
    ['an unquoted attribute value', 'region="L1"', 'region= L1 ', 'are not name="value" pairs'],
    ['an attribute given twice', ' units=" g/cm2" id="3"', ' id="3"         id="3"', "attribute 'id' is given twice"],
  ] as const) {
    it(`GE: a <DXA_RESULTS> copy with ${damage} is XML_UNREADABLE, though its values match the SR`, () => {
      const failure = readBad(replaceAt(instanceBytes(fixtureStudy('07'), 0), from, to));
      expect(failure.code).toBe('XML_UNREADABLE');
      expect(failure.error).toContain(reason);
    });
  }

  it('profile: a height item that lost its value is INCOMPLETE_REPORT, not an unmeasured height', () => {
    const bytes = reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      const groups = contentOf(itemNamed(tree.dataSet, 'Imaging Measurements'));
      const l3 = groups.find((group) => textUnder(group, 'Tracking Identifier') === 'VFA L3')!;
      removeElement(itemNamed(l3, 'VFA-HA'), MEASURED_VALUE_SEQUENCE);
    });
    expect(readBad(bytes)).toMatchObject({ code: 'INCOMPLETE_REPORT', error: "Anterior vertebral body height in 'VFA L3' has no value" });
  });

  it("profile: an 'evaluable' answer that is neither Yes nor No is refused, not taken as Yes", () => {
    const failure = readBad(replaceAt(profileBytes(fixtureStudy('19'), 0), '373067005', '373067009'));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('neither Yes nor No');
  });

  it('GE without XML copy: a T-score item that lost its text is INCOMPLETE_REPORT', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('14'), 0), (tree) => {
      removeElement(itemNamed(itemNamed(itemNamed(tree.dataSet, 'AP Spine'), 'L1-L4'), 'BMD_TSCORE'), TEXT_VALUE);
    });
    expect(readBad(bytes)).toMatchObject({ code: 'INCOMPLETE_REPORT', error: "BMD_TSCORE of ROI 'L1-L4' (AP Spine) has no value" });
  });
});
