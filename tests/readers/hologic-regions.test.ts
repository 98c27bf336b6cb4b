import { describe, expect, it } from 'vitest';
import { writeHologicBlob } from '../../src/fixtures/hologic-blob.ts';
import { BlobFault } from '../../src/readers/hologic/blob-error.ts';
import { canonicalRows } from '../../src/readers/hologic/hologic-regions.ts';
import { readHologicBlob } from '../../src/readers/hologic/read-hologic-blob.ts';
import { blobInput, DUAL_HIP_ROWS, faultOf, FOREARM_ROWS, HIP_ROWS, historyTable, SPINE_ROWS, summaryTable } from './hologic-blob-cases.ts';
import type { BlobTableInput } from '../../src/fixtures/hologic-blob.ts';

function mapped(tables: BlobTableInput[], mode: string) {
  const content = readHologicBlob(writeHologicBlob(blobInput(tables, { mode: `x ${mode}` })));
  return canonicalRows(content.tables.summary ?? [], content.scan.mode.name, content.spineTotalRange);
}

describe('canonicalRows', () => {
  it('maps the spine levels and the Total to its range', () => {
    const rows = mapped([summaryTable(SPINE_ROWS), historyTable('Results History: L1-L4')], 'Lumbar Spine');
    expect(rows.bodyPart).toBe('spine');
    expect(rows.measurements.map((row) => [row.region, row.side, row.values.bmd])).toEqual([
      ['L1', null, 0.94], ['L2', null, 1.028], ['L3', null, 1.026], ['L4', null, 1.002], ['L1-L4', null, 1],
    ]);
  });

  it('maps a spine with L4 excluded to L1-L3 and refuses a range that disagrees with the levels listed', () => {
    const withoutL4 = SPINE_ROWS.filter((row) => row.type !== 8);
    expect(mapped([summaryTable(withoutL4), historyTable('Results History: L1-L3')], 'Lumbar Spine').measurements.map((row) => row.region)).toEqual(['L1', 'L2', 'L3', 'L1-L3']);
    expect(faultOf(() => mapped([summaryTable(withoutL4), historyTable('Results History: L1-L4')], 'Lumbar Spine')).message).toMatch(/Total is L1-L4 but the table lists L1, L2, L3/);
    expect(faultOf(() => mapped([summaryTable(SPINE_ROWS)], 'Lumbar Spine')).fault).toBe(BlobFault.MISSING_VALUE);
  });

  it('maps a single hip with the side of its scan mode', () => {
    expect(mapped([summaryTable(HIP_ROWS)], 'Right Hip').measurements.map((row) => [row.region, row.side])).toEqual([['femoral_neck', 'right'], ['total_hip', 'right']]);
    expect(mapped([summaryTable(HIP_ROWS)], 'Left Hip').measurements.map((row) => row.side)).toEqual(['left', 'left']);
    expect(faultOf(() => mapped([summaryTable(HIP_ROWS)], 'Hip')).fault).toBe(BlobFault.INCONSISTENT);
    // a hip history title is not read as a spine range
    expect(mapped([summaryTable(HIP_ROWS), historyTable('Results History: Neck')], 'Left Hip').measurements).toHaveLength(2);
  });

  it('maps the dual hip sides and keeps |Diff.| out of the measurements', () => {
    const rows = mapped([summaryTable(DUAL_HIP_ROWS)], 'Left Hip');
    expect(rows.measurements.map((row) => `${row.region}/${row.side}`)).toEqual([
      'femoral_neck/left', 'femoral_neck/right', 'femoral_neck/mean', 'total_hip/left', 'total_hip/right', 'total_hip/mean',
    ]);
    expect(rows.differences.map((row) => [row.region, row.values.bmd])).toEqual([['femoral_neck', 0.066], ['total_hip', 0.018]]);
  });

  it('maps the forearm rows to the radius regions with the side of the scan mode', () => {
    expect(mapped([summaryTable(FOREARM_ROWS)], 'R.Forearm').measurements.map((row) => [row.region, row.side])).toEqual([
      ['radius_33', 'right'], ['radius_mid', 'right'], ['radius_ud', 'right'], ['radius_total', 'right'],
    ]);
  });

  it('refuses a table that mixes body parts or names none', () => {
    expect(faultOf(() => mapped([summaryTable([...HIP_ROWS.slice(0, 1), ...FOREARM_ROWS.slice(0, 1)])], 'Left Hip')).fault).toBe(BlobFault.INCONSISTENT);
    expect(faultOf(() => mapped([summaryTable(HIP_ROWS.slice(1))], 'Left Hip')).message).toMatch(/no row that names the body part/);
  });

  it('refuses a region row without BMD', () => {
    const noBmd = HIP_ROWS.map((row, index) => (index === 0 ? { type: 10, cells: ['Neck', '4.9', '3.0', ' ', '-2.3', 67, '-1.4', 77] } : row));
    expect(faultOf(() => mapped([summaryTable(noBmd)], 'Left Hip')).message).toMatch(/row 1 \(row type 10\) has no BMD/);
  });
});
