import { describe, expect, it } from 'vitest';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { readSrTree } from '../../src/dicom/sr-tree.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { LOINC_BY_SITE, VERTEBRA_CODES } from '../../src/dicom/coding.ts';
import { Codes, GENANT_GRADES } from '../../src/dicom/profile-codes.ts';
import { fixtureStudy, profileBytes, readBad, readOk } from '../helpers/exports.ts';
import { conceptOf, contentOf, itemNamed, reencode, removeElement, textUnder, type TreeElement } from '../helpers/dicom-tree.ts';

const withProfile = (id: string, change: (bytes: Buffer) => Buffer, index = 0) => change(Buffer.from(profileBytes(fixtureStudy(id), index)));
/** Same-length byte replacement: the file stays well-formed DICOM, only the code changes. */
const swap = (from: string, to: string) => (bytes: Buffer) => {
  if (from.length !== to.length) throw new Error('swap needs equal lengths');
  const at = bytes.indexOf(from);
  if (at < 0) throw new Error(`'${from}' not in the file`);
  const copy = Buffer.from(bytes);
  copy.write(to, at, 'latin1');
  return copy;
};

describe('project DXA SR profile reader', () => {
  it('is a TID 1500 Imaging Measurement Report with DXA as procedure', () => {
    const dataSet = parseDicomBytes(profileBytes(fixtureStudy('15'), 0));
    const root = readSrTree(dataSet, textReaderFor(dataSet));
    expect(root.concept).toMatchObject({ value: Codes.report.value, scheme: 'DCM' });
    expect(root.children.find((c) => c.concept?.value === Codes.procedureReported.value)?.code).toMatchObject({ value: '241686001', scheme: 'SCT' });
  });

  it('reads one VFA vertebra per measurement group, T4 to L4', () => {
    const extraction = readOk(profileBytes(fixtureStudy('16'), 0));
    expect(extraction.instance.reader).toBe('dexa-profile-sr');
    expect(extraction.vfa.map((v) => v.level)).toEqual(['T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4']);
    expect(extraction.vfa.find((v) => v.level === 'T12')).toEqual({ level: 'T12', evaluable: true, anteriorMm: 17.9, middleMm: 21.4, posteriorMm: 23, readerGrade: null });
    expect(extraction.measurements).toEqual([]);
  });

  it('reads vertebrae marked not evaluable', () => {
    const extraction = readOk(profileBytes(fixtureStudy('19'), 0));
    expect(extraction.vfa.filter((v) => !v.evaluable).map((v) => v.level)).toEqual(['T5', 'T6']);
  });

  it("reads the reader's Genant grade", () => {
    expect(readOk(profileBytes(fixtureStudy('20'), 1)).vfa.find((v) => v.level === 'T11')?.readerGrade).toBe(2);
  });

  it('reads BMD groups: spine ranges from their vertebrae, hip sides from laterality, and the scanner category', () => {
    const extraction = readOk(profileBytes(fixtureStudy('20'), 0));
    expect(extraction.measurements.map((m) => `${m.region}/${m.side}`).sort()).toEqual(['L1-L4/null', 'femoral_neck/left', 'femoral_neck/right', 'total_hip/left', 'total_hip/right']);
    expect(extraction.measurements.find((m) => m.region === 'femoral_neck' && m.side === 'right')).toMatchObject({ tScore: -2.0, bmc: null });
    expect(extraction.study.vendorCategory).toBe('Osteoporosis');
    expect(extraction.study.manufacturer).toBe('GE Healthcare');
  });

  it('refuses an unknown Genant grade code', () => {
    const failure = readBad(withProfile('20', swap(GENANT_GRADES[2]!.value, 'GENANT-7'), 1));
    expect(failure).toMatchObject({ code: 'PROFILE_INVALID' });
    expect(failure.error).toContain("unknown Genant grade code 'GENANT-7'");
  });

  it('refuses vertebrae that are not contiguous in one BMD group', () => {
    // the L1-L4 group names L1, L2, L3, L4; with L2's code turned into L4's it names L1, L3, L4, L4
    const failure = readBad(withProfile('20', swap(VERTEBRA_CODES.L2.value, VERTEBRA_CODES.L4.value)));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('not contiguous');
  });

  it('refuses a height in another unit than mm', () => {
    // (0008,0100) SH, length 2, "mm": the CodeValue of the first unit code
    const element = Buffer.from([0x08, 0x00, 0x00, 0x01, 0x53, 0x48, 0x02, 0x00, 0x6d, 0x6d]);
    const bytes = Buffer.from(profileBytes(fixtureStudy('16'), 0));
    const at = bytes.indexOf(element);
    expect(at).toBeGreaterThan(0);
    bytes.write('cm', at + 8, 'latin1');
    const failure = readBad(bytes);
    expect(failure.code).toBe('UNEXPECTED_UNIT');
    expect(failure.error).toContain("expected 'mm'");
  });

  it('uses LOINC per-site quantities', () => {
    const bytes = Buffer.from(profileBytes(fixtureStudy('21'), 0));
    for (const code of [LOINC_BY_SITE.lumbarSpine.tScore, LOINC_BY_SITE.femur.tScore, LOINC_BY_SITE.hip.tScore]) {
      expect(bytes.includes(code.value), code.meaning).toBe(true);
    }
  });
});

const Tags = {
  completionFlag: 0x0040a491,
  valueType: 0x0040a040,
  textValue: 0x0040a160,
  conceptCode: 0x0040a168,
  content: 0x0040a730,
  measuredValue: 0x0040a300,
  numericValue: 0x0040a30a,
  units: 0x004008ea,
  codeValue: 0x00080100,
};

/** A string value as DICOM stores it: padded with a space to an even length. */
const setString = (item: TreeElement[], tag: number, value: string) => {
  const element = item.find((e) => e.tag === tag);
  if (!element) throw new Error(`no element ${tag.toString(16)}`);
  element.value = new TextEncoder().encode(value.length % 2 === 0 ? value : `${value} `);
};
const group = (tree: { dataSet: TreeElement[] }, label: string) => {
  const found = contentOf(itemNamed(tree.dataSet, 'Imaging Measurements')).find((g) => textUnder(g, 'Tracking Identifier') === label);
  if (!found) throw new Error(`no group ${label}`);
  return found;
};
const sitesOf = (groupItem: TreeElement[]) => contentOf(groupItem).filter((item) => conceptOf(item).startsWith(`${Codes.findingSite.value}|`));
const measuredValue = (item: TreeElement[]) => item.find((e) => e.tag === Tags.measuredValue)!.items![0]!;
const itemWithCode = (groupItem: TreeElement[], code: string) => {
  const found = contentOf(groupItem).find((item) => conceptOf(item).startsWith(`${code}|`));
  if (!found) throw new Error(`no item ${code}`);
  return found;
};
/** Fixture 20, first profile SR: lumbar spine L1-L4, femoral neck and total hip of both sides, SCANNER-WHO. */
const bmdReport = (change: (tree: { dataSet: TreeElement[] }) => void) => reencode(profileBytes(fixtureStudy('20'), 0), change);

describe('profile: what the document requires is checked, never defaulted', () => {
  it('reads the unchanged report (the variants below differ from it in one item only)', () => {
    expect(readOk(bmdReport(() => {})).measurements).toHaveLength(5);
  });

  it('refuses a femoral neck whose Laterality is missing, instead of reading it as a femoral neck without side', () => {
    const failure = readBad(bmdReport((tree) => removeElement(sitesOf(group(tree, 'BMD femoral_neck left'))[0]!, Tags.content)));
    expect(failure.code).toBe('INCOMPLETE_REPORT');
    expect(failure.error).toBe("measurement group 'BMD femoral_neck left' (femoral_neck) has no laterality: left, right or the mean of both");
  });

  it('refuses a Laterality whose code is not Left, Right or Right and left', () => {
    const failure = readBad(withProfile('20', swap(Codes.left.value, '7771009')));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain("has laterality SCT '7771009', not Left, Right or Right and left");
  });

  it('refuses a Laterality on the lumbar spine', () => {
    const failure = readBad(bmdReport((tree) => {
      const laterality = sitesOf(group(tree, 'BMD femoral_neck left'))[0]!.find((e) => e.tag === Tags.content)!;
      sitesOf(group(tree, 'BMD L1-L4'))[0]!.push(structuredClone(laterality));
    }));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('the lumbar spine has none');
  });

  it('refuses a Laterality on a VFA vertebra', () => {
    const failure = readBad(reencode(profileBytes(fixtureStudy('20'), 1), (tree) => {
      const laterality = { tag: Tags.content, vr: 'SQ', items: [structuredClone(sitesOf(group(tree, 'VFA T11'))[0]!)] };
      setString(laterality.items[0]!.find((e) => e.tag === 0x0040a043)!.items![0]!, Tags.codeValue, Codes.laterality.value);
      sitesOf(group(tree, 'VFA T11'))[0]!.push(laterality);
    }));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('has a laterality; a vertebra has none');
  });

  it('refuses a BMD whose LOINC code is of another body region than its finding site', () => {
    // the spine group's BMD given the femur's code: it was put together wrongly, whichever is right
    const failure = readBad(withProfile('20', swap(LOINC_BY_SITE.lumbarSpine.bmd.value, LOINC_BY_SITE.femur.bmd.value)));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toBe("the BMD of measurement group 'BMD L1-L4' (L1-L4) has the LOINC code '24701-5' of another body region, expected '24966-4'");
  });

  it('refuses a T-score with the hip code on a femoral neck', () => {
    const failure = readBad(withProfile('20', swap(LOINC_BY_SITE.femur.tScore.value, LOINC_BY_SITE.hip.tScore.value)));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toContain('of another body region');
  });

  it('refuses a measurement without its unit', () => {
    const failure = readBad(bmdReport((tree) => {
      removeElement(measuredValue(itemWithCode(group(tree, 'BMD L1-L4'), LOINC_BY_SITE.lumbarSpine.bmd.value)), Tags.units);
    }));
    expect(failure.code).toBe('UNEXPECTED_UNIT');
    expect(failure.error).toBe("DXA Lumbar spine [Mass/Area] Bone density in 'BMD L1-L4' has no unit, expected 'g/cm2'");
  });

  it('refuses a group count without its unit, or in another unit', () => {
    const count = (tree: { dataSet: TreeElement[] }) => measuredValue(itemNamed(itemNamed(tree.dataSet, 'Imaging Measurements'), 'GROUP-COUNT'));
    const none = readBad(bmdReport((tree) => removeElement(count(tree), Tags.units)));
    expect(none).toMatchObject({ code: 'UNEXPECTED_UNIT', error: "the declared number of measurement groups (GROUP-COUNT) is without a unit, expected '1'" });
    const other = readBad(bmdReport((tree) => setString(count(tree).find((e) => e.tag === Tags.units)!.items![0]!, Tags.codeValue, 'mm')));
    expect(other).toMatchObject({ code: 'UNEXPECTED_UNIT', error: "the declared number of measurement groups (GROUP-COUNT) is in 'mm', expected '1'" });
  });

  it("refuses a SCANNER-WHO that is not TEXT (dropped, it would turn off the comparison with the scanner's category)", () => {
    const failure = readBad(bmdReport((tree) => setString(itemNamed(itemNamed(tree.dataSet, 'Qualitative Evaluations'), 'SCANNER-WHO'), Tags.valueType, 'CODE')));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toBe("the scanner's WHO classification (SCANNER-WHO) is a 'CODE' item, not TEXT");
  });

  it('refuses a SCANNER-WHO without text', () => {
    const failure = readBad(bmdReport((tree) => removeElement(itemNamed(itemNamed(tree.dataSet, 'Qualitative Evaluations'), 'SCANNER-WHO'), Tags.textValue)));
    expect(failure).toMatchObject({ code: 'INCOMPLETE_REPORT', error: "the scanner's WHO classification (SCANNER-WHO) has no text" });
  });

  it('refuses a Tracking Identifier that is not TEXT, or a group without one', () => {
    const notText = readBad(bmdReport((tree) => setString(itemNamed(group(tree, 'BMD total_hip right'), 'Tracking Identifier'), Tags.valueType, 'UIDREF')));
    expect(notText).toMatchObject({ code: 'PROFILE_INVALID', error: "the Tracking Identifier of a measurement group is a 'UIDREF' item, not TEXT" });
    const missing = readBad(bmdReport((tree) => {
      const items = contentOf(group(tree, 'BMD total_hip right'));
      items.splice(items.findIndex((item) => conceptOf(item).startsWith(`${Codes.trackingIdentifier.value}|`)), 1);
    }));
    expect(missing).toMatchObject({ code: 'INCOMPLETE_REPORT', error: 'a measurement group has no Tracking Identifier' });
  });

  it('refuses a spine Finding Site without its code, instead of reading L1-L4 as L1-L3', () => {
    const failure = readBad(bmdReport((tree) => removeElement(sitesOf(group(tree, 'BMD L1-L4'))[3]!, Tags.conceptCode)));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toBe("a finding site of measurement group 'BMD L1-L4' has no code");
  });

  it('refuses a report whose Completion Flag is PARTIAL, or that has none', () => {
    const partial = readBad(withProfile('20', swap('COMPLETE', 'PARTIAL ')));
    expect(partial).toMatchObject({ code: 'INCOMPLETE_REPORT', error: "the report's Completion Flag is 'PARTIAL': only a report marked COMPLETE is read" });
    const none = readBad(bmdReport((tree) => removeElement(tree.dataSet, Tags.completionFlag)));
    expect(none).toMatchObject({ code: 'INCOMPLETE_REPORT', error: 'the report has no Completion Flag: only a report marked COMPLETE is read' });
  });

  it('refuses a BMD outside 0.1–3 g/cm² and a T- or Z-score beyond ±10 as IMPLAUSIBLE_VALUE', () => {
    const withValue = (code: string, value: string) => bmdReport((tree) => {
      setString(measuredValue(itemWithCode(group(tree, 'BMD L1-L4'), code)), Tags.numericValue, value);
    });
    const spine = LOINC_BY_SITE.lumbarSpine;
    expect(readBad(withValue(spine.bmd.value, '9.000'))).toMatchObject({ code: 'IMPLAUSIBLE_VALUE', error: "the BMD of measurement group 'BMD L1-L4' is 9, outside 0.1–3 g/cm²" });
    expect(readBad(withValue(spine.bmd.value, '0.05')).code).toBe('IMPLAUSIBLE_VALUE');
    expect(readBad(withValue(spine.tScore.value, '-15')).error).toBe("the T-score of measurement group 'BMD L1-L4' is -15, beyond ±10");
    expect(readBad(withValue(spine.zScore.value, '10.1')).code).toBe('IMPLAUSIBLE_VALUE');
    // the bounds themselves are plausible
    expect(readOk(withValue(spine.bmd.value, '3.000')).measurements.find((m) => m.region === 'L1-L4')?.bmd).toBe(3);
    expect(readOk(withValue(spine.tScore.value, '-10.0')).measurements.find((m) => m.region === 'L1-L4')?.tScore).toBe(-10);
  });

  it('refuses a VFA group with a second finding site that is not a vertebra', () => {
    const failure = readBad(reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      const t5 = group(tree, 'VFA T5');
      const extra = structuredClone(sitesOf(t5)[0]!);
      setString(extra.find((e) => e.tag === Tags.conceptCode)!.items![0]!, Tags.codeValue, 'FEMORAL-NECK');
      contentOf(t5).push(extra);
    }));
    expect(failure.code).toBe('PROFILE_INVALID');
    expect(failure.error).toBe("VFA group 'VFA T5' must name exactly one vertebra T4–L4 as finding site, and nothing else");
  });

  it('refuses a VFA group that does not say whether its vertebra was evaluable, instead of taking it as evaluable', () => {
    const failure = readBad(reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      const t5 = contentOf(group(tree, 'VFA T5'));
      const index = t5.findIndex((item) => conceptOf(item).startsWith(`${Codes.vfaEvaluable.value}|`));
      expect(index).toBeGreaterThanOrEqual(0);
      t5.splice(index, 1);
    }));
    expect(failure.code).toBe('INCOMPLETE_REPORT');
    expect(failure.error).toBe("VFA group 'VFA T5' does not say whether the vertebra was evaluable (VFA-EVALUABLE)");
  });
});
