import { describe, expect, it } from 'vitest';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { fixtureStudy, instanceBytes, readOk, variant } from '../helpers/exports.ts';

describe('merging the instances of one study', () => {
  const study = fixtureStudy('01');
  const parts = study.instances.map((_, index) => readOk(instanceBytes(study, index), `SR${index}.dcm`));

  it('gives the same study whatever order the instances arrive in', () => {
    const forward = mergeStudy(parts);
    const backward = mergeStudy([...parts].reverse());
    expect(backward).toEqual(forward);
  });

  it('takes an ROI repeated with the same values in two instances once', () => {
    const merged = mergeStudy(parts);
    expect(merged.measurements.filter((m) => m.region === 'femoral_neck' && m.side === 'left')).toHaveLength(1);
    expect(merged.errors).toEqual([]);
  });

  it('treats the same SOPInstanceUID twice as one instance', () => {
    const again = readOk(instanceBytes(study, 1), 'copy-of-SR1.dcm');
    const merged = mergeStudy([...parts, again]);
    expect(merged.instances).toHaveLength(3);
    expect(merged.errors).toEqual([]);
    expect(merged.measurements).toEqual(mergeStudy(parts).measurements);
  });

  it('reports the same SOPInstanceUID with different content as an error', () => {
    const changed = variant(study, 1, { corrupt: { roiIndex: 0, item: 'BMD_TSCORE', raw: '-3.0', inXmlToo: true } });
    const merged = mergeStudy([...parts, readOk(instanceBytes(changed, 1), 'changed.dcm')]);
    expect(merged.errors.map((e) => e.code)).toContain('DUPLICATE_INSTANCE_DIFFERS');
    expect(merged.errors.find((e) => e.code === 'DUPLICATE_INSTANCE_DIFFERS')?.message).toContain('changed.dcm');
  });

  it('reports conflicting values for the same ROI in different instances, naming the ROI', () => {
    // instance 3 repeats Neck Left of instance 2; change it there only
    const changed = variant(study, 2, { corrupt: { roiIndex: 0, item: 'BMD_TSCORE', raw: '-2.9', inXmlToo: true } });
    const merged = mergeStudy([parts[0]!, parts[1]!, readOk(instanceBytes(changed, 2), 'SR2.dcm')]);
    expect(merged.errors).toHaveLength(1);
    expect(merged.errors[0]?.code).toBe('CONFLICTING_VALUES');
    expect(merged.errors[0]?.message).toContain('femoral_neck left (DualFemur: Neck Left)');
    expect(merged.errors[0]?.message).toContain('T -0.6');
    expect(merged.errors[0]?.message).toContain('T -2.9');
  });

  it('reports instances of one study that disagree about the patient', () => {
    const other = { ...study, patient: { ...study.patient, birthDate: '1950-01-01' } };
    const merged = mergeStudy([parts[0]!, readOk(instanceBytes(other, 1))]);
    expect(merged.errors.map((e) => e.code)).toEqual(['CONFLICTING_HEADER']);
    expect(merged.errors[0]?.message).toContain('birthDate');
  });

  describe('the scanner\'s FRAX', () => {
    const reported = { reported: true, majorOsteoporotic: { withoutPriorFracture: 13, withPriorFracture: 21 }, hip: { withoutPriorFracture: 2.9, withPriorFracture: null }, riskFactors: 'BMI 22' } as const;

    it('merging: one FRAX per study from whichever instance carries it; the same twice is one', () => {
      const merged = mergeStudy([parts[0]!, { ...parts[1]!, frax: reported }, { ...parts[2]!, frax: reported }]);
      expect(merged.frax).toEqual(reported);
      expect(merged.errors).toEqual([]);
    });

    it('merging: two different FRAX values are CONFLICTING_VALUES', () => {
      const merged = mergeStudy([{ ...parts[0]!, frax: reported }, { ...parts[1]!, frax: { reported: false, reason: 'age' } }]);
      expect(merged.errors.map((e) => e.code)).toEqual(['CONFLICTING_VALUES']);
      expect(merged.errors[0]?.message).toContain('FRAX');
    });
  });
});
