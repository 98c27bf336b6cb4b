import { describe, expect, it } from 'vitest';
import { itemNamed, reencode, removeElement, removeItems, textUnder, contentOf } from '../helpers/dicom-tree.ts';
import { fixtureStudy, instanceBytes, profileBytes, readBad, readOk } from '../helpers/exports.ts';

const IMAGE_COMMENTS = 0x00204000;

describe('GE: what the SR holds must be whole', () => {
  it('with the XML copy, a T-score in the XML but not in the SR is an error naming the ROI', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('01'), 0), (tree) => {
      const l1l4 = itemNamed(itemNamed(tree.dataSet, 'AP Spine'), 'L1-L4');
      expect(removeItems(l1l4, 'BMD_TSCORE')).toBe(1);
    });
    const failure = readBad(bytes);
    expect(failure.code).toBe('XML_ITEM_MISSING');
    expect(failure.error).toContain("BMD_TSCORE of ROI 'L1-L4' (AP Spine) is only in the XML copy");
  });

  it('with the XML copy, an ROI the SR lost is an error naming it (the L1-L4 → L1-L2 index shift)', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('01'), 0), (tree) => {
      expect(removeItems(itemNamed(tree.dataSet, 'AP Spine'), 'L1-L4')).toBe(1);
    });
    const failure = readBad(bytes);
    expect(failure.code).toBe('XML_MISMATCH');
    expect(failure.error).toContain("ROI 'L1-L4' (AP Spine) is in the XML copy but not in the SR");
  });

  it('without the XML copy, an ROI without its BMD is INCOMPLETE_REPORT naming the ROI', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('14'), 0), (tree) => {
      expect(removeItems(itemNamed(itemNamed(tree.dataSet, 'AP Spine'), 'L3'), 'BMD')).toBe(1);
    });
    expect(readBad(bytes)).toMatchObject({ code: 'INCOMPLETE_REPORT', error: "ROI 'L3' (AP Spine) has no BMD: the export is incomplete" });
  });

  it('without the XML copy, a scan container without ROIs is INCOMPLETE_REPORT', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('14'), 0), (tree) => {
      const spine = itemNamed(tree.dataSet, 'AP Spine');
      contentOf(spine).splice(0);
    });
    expect(readBad(bytes)).toMatchObject({ code: 'INCOMPLETE_REPORT', error: "scan 'AP Spine' holds no ROI" });
  });

  it('an SR without any scan is NO_RESULTS, not a study without measurements', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('14'), 0), (tree) => {
      expect(removeItems(tree.dataSet, 'AP Spine')).toBe(1);
    });
    expect(readBad(bytes).code).toBe('NO_RESULTS');
  });

  it('the same edits leave a whole file readable (the edit itself breaks nothing)', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('14'), 0), () => {});
    expect(readOk(bytes).measurements.length).toBe(5);
  });

  it('removing the XML copy alone still reads, with the NO_XML_COPY warning', () => {
    const bytes = reencode(instanceBytes(fixtureStudy('01'), 0), (tree) => removeElement(tree.dataSet, IMAGE_COMMENTS));
    expect(readOk(bytes).warnings.map((w) => w.code)).toContain('NO_XML_COPY');
  });
});

describe('profile: the report declares what it holds, and must hold it', () => {
  const vfaGroup = (level: string) => (group: Parameters<typeof textUnder>[0]) => textUnder(group, 'Tracking Identifier') === `VFA ${level}`;

  it('a declared VFA level without its group is INCOMPLETE_REPORT naming the level', () => {
    const bytes = reencode(profileBytes(fixtureStudy('17'), 0), (tree) => {
      const measurements = itemNamed(tree.dataSet, 'Imaging Measurements');
      expect(removeItems(measurements, 'Measurement Group', vfaGroup('L1'))).toBe(1);
      // keep the count right, so only the level declaration can tell
      const count = itemNamed(measurements, 'GROUP-COUNT');
      const value = count.find((e) => e.tag === 0x0040a300)!.items![0]!.find((e) => e.tag === 0x0040a30a)!;
      value.value = new TextEncoder().encode('12');
    });
    const failure = readBad(bytes);
    expect(failure.code).toBe('INCOMPLETE_REPORT');
    expect(failure.error).toBe('the VFA declares L1 as assessed but has no measurement group for it');
  });

  it('a group count that differs from the groups found is INCOMPLETE_REPORT', () => {
    const bytes = reencode(profileBytes(fixtureStudy('20'), 0), (tree) => {
      expect(removeItems(itemNamed(tree.dataSet, 'Imaging Measurements'), 'Measurement Group', (group) => textUnder(group, 'Tracking Identifier') === 'BMD L1-L4')).toBe(1);
    });
    expect(readBad(bytes)).toMatchObject({ code: 'INCOMPLETE_REPORT', error: 'the report declares 5 measurement groups but holds 4' });
  });

  it('a report that does not declare its group count is INCOMPLETE_REPORT', () => {
    const bytes = reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      expect(removeItems(itemNamed(tree.dataSet, 'Imaging Measurements'), 'GROUP-COUNT')).toBe(1);
    });
    expect(readBad(bytes).code).toBe('INCOMPLETE_REPORT');
  });

  it('a VFA whose levels are not declared is INCOMPLETE_REPORT', () => {
    const bytes = reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      expect(removeItems(itemNamed(tree.dataSet, 'Imaging Measurements'), 'VFA-ASSESSED')).toBe(13);
    });
    expect(readBad(bytes).error).toContain('does not declare the levels it assessed');
  });

  it('a report with no groups at all is NO_RESULTS', () => {
    const bytes = reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      const measurements = itemNamed(tree.dataSet, 'Imaging Measurements');
      removeItems(measurements, 'Measurement Group');
      removeItems(measurements, 'VFA-ASSESSED');
      const value = itemNamed(measurements, 'GROUP-COUNT').find((e) => e.tag === 0x0040a300)!.items![0]!.find((e) => e.tag === 0x0040a30a)!;
      value.value = new TextEncoder().encode('0 ');
    });
    expect(readBad(bytes).code).toBe('NO_RESULTS');
  });

  it('a report without its Imaging Measurements container is NO_RESULTS', () => {
    const bytes = reencode(profileBytes(fixtureStudy('15'), 0), (tree) => {
      expect(removeItems(tree.dataSet, 'Imaging Measurements')).toBe(1);
    });
    expect(readBad(bytes).code).toBe('NO_RESULTS');
  });
});
