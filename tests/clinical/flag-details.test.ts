import { describe, expect, it } from 'vitest';
import { spineExclusionSuggestions } from '../../src/clinical/spine-validity.ts';
import { studyVendorCategory, vendorCategoryFlag } from '../../src/clinical/vendor-category.ts';
import { measurement, type Row } from '../helpers/study-builder.ts';

describe('flags carry what the service knows, for the letter to say (issue 10 item 6)', () => {
  it('SPINE_EXCLUSION_SUGGESTED by the scores: an outlier, with its score and the neighbour it stands out from', () => {
    const rows: Row[] = [['L2', null, -1.2, 0], ['L3', null, 0.4, 1.0]];
    const [flag] = spineExclusionSuggestions(rows.map(measurement));
    expect(flag).toMatchObject({ code: 'SPINE_EXCLUSION_SUGGESTED', subject: 'L3', variant: 'outlier', details: { scoreKind: 'T', score: 0.4, neighbour: 'L2', neighbourScore: -1.2 } });
  });

  it('VENDOR_CATEGORY_DIFFERS says what the scanner concluded and what we found', () => {
    expect(vendorCategoryFlag('Osteopenia', 'osteoporosis')).toMatchObject({ variant: 'differs', details: { scanner: 'Osteopenia', category: 'osteoporosis' } });
    expect(vendorCategoryFlag('Osteoporosis', 'severe_osteoporosis')).toBeNull();
    expect(vendorCategoryFlag('Zie  verslag\n', 'normal')).toMatchObject({ variant: 'uncomparable', details: { scanner: 'Zie verslag' } });
    expect(vendorCategoryFlag('x'.repeat(300), 'normal')?.details?.scanner).toHaveLength(80);
  });
});

describe("a study's scanner classification from its scans' own", () => {
  it.each([
    [[], null],
    [['Osteopenia'], 'Osteopenia'],
    [['Normal', 'Osteopenia', 'Normal'], 'Osteopenia'],
    [['Osteopenia', 'Osteoporosis'], 'Osteoporosis'],
    [['Osteoporosis', 'Normal'], 'Osteoporosis'],
    [['Osteoporosis', 'Zie verslag'], 'Zie verslag'],
  ])('%j → %j', (perScan, study) => {
    expect(studyVendorCategory(perScan)).toBe(study);
  });
});
