import { describe, expect, it } from 'vitest';
import { writeHologicBlob } from '../../src/fixtures/hologic-blob.ts';
import { BlobFault } from '../../src/readers/hologic/blob-error.ts';
import { requireSection, tokenizeBlob } from '../../src/readers/hologic/blob-tokens.ts';
import { readHologicBlob } from '../../src/readers/hologic/read-hologic-blob.ts';
import { readResultsTables } from '../../src/readers/hologic/results-table.ts';
import { COLUMN_TYPES, ROW_TYPES, TABLE_TYPES } from '../../src/readers/hologic/type-codes.ts';
import {
  blobInput,
  DUAL_HIP_ROWS,
  faultOf,
  FOREARM_ROWS,
  fraxNotReported,
  fraxReported,
  HIP_ROWS,
  historyTable,
  SPINE_ROWS,
  summaryTable,
} from './hologic-blob-cases.ts';

const spineBlob = () => writeHologicBlob(blobInput([summaryTable(SPINE_ROWS), historyTable('Results History: L1-L4'), fraxReported()]));
const tablesOf = (text: string) => readResultsTables(requireSection(tokenizeBlob(text), 'Results'));

describe('tokenizeBlob', () => {
  it('splits the header, the sections and their scalar and indexed assignments with line numbers', () => {
    const tokens = tokenizeBlob(spineBlob());
    expect(tokens.header).toMatch(/^<HologicHeader1>.*<\/HologicHeader1>$/s);
    expect(tokens.sections.map((section) => [section.fileType, section.name])).toEqual([
      [1, 'PatInfo'], [2, 'ScanInfo'], [6, 'PComment'], [3, 'Results'], [5, 'Graph'], [7, 'Fracture'],
    ]);
    const results = requireSection(tokens, 'Results');
    const cell = results.assignments.find((assignment) => assignment.name === 'ResultsTable1' && assignment.indices.join() === '1,3');
    expect(cell).toMatchObject({ value: '0.940' });
    expect(spineBlob().split('\r\n')[(cell?.line ?? 0) - 1]).toBe('ResultsTable1[ 1][ 3] = "0.940";');
    expect(results.assignments.find((assignment) => assignment.name === 'TableType1')).toMatchObject({ value: '1', indices: [] });
  });

  it('keeps HTML and an empty cell as written', () => {
    const results = requireSection(tokenizeBlob(spineBlob()), 'Results');
    expect(results.assignments.find((a) => a.name === 'ResultsTable1' && a.indices.join() === '0,3')?.value).toBe('BMD[g/cm<sup><small>2</small></sup>]');
    expect(results.assignments.find((a) => a.name === 'ResultsTable3' && a.indices.join() === '1,2')?.value).toBe(' ');
  });

  it('refuses a blob cut off inside a line, naming the line', () => {
    const text = spineBlob();
    const cut = text.slice(0, text.indexOf('ResultsTable1[ 2][ 3] = "1.0') + 25);
    const error = faultOf(() => tokenizeBlob(cut));
    expect(error.fault).toBe(BlobFault.CUT_OFF_LINE);
    expect(error.line).toBe(cut.split('\r\n').length);
    expect(error.message).toMatch(/^Hologic blob line \d+: the blob ends inside a line/);
  });

  it('refuses a duplicate assignment, naming both lines', () => {
    const text = spineBlob().replace('PatientSex = "Female";', 'PatientSex = "Female";\r\nPatientSex = "Male";');
    const error = faultOf(() => tokenizeBlob(text));
    expect(error.fault).toBe(BlobFault.DUPLICATE_ASSIGNMENT);
    expect(error.message).toMatch(/PatientSex in section PatInfo is assigned again; first on line \d+/);
  });

  it('refuses a line that is not an assignment, a second section of one type, and text past the limits', () => {
    expect(faultOf(() => tokenizeBlob(spineBlob().replace('DOB = ', 'DOB := '))).fault).toBe(BlobFault.MALFORMED_LINE);
    const twice = spineBlob().replace('<JavaScriptFile, filetype=5', '<JavaScriptFile, filetype=1');
    expect(faultOf(() => tokenizeBlob(twice)).fault).toBe(BlobFault.DUPLICATE_SECTION);
    expect(faultOf(() => tokenizeBlob(spineBlob(), { maxChars: 1000, maxLines: 10_000, maxIndex: 200 })).fault).toBe(BlobFault.TOO_LARGE);
    expect(faultOf(() => tokenizeBlob(spineBlob(), { maxChars: 1e6, maxLines: 50, maxIndex: 200 })).fault).toBe(BlobFault.TOO_LARGE);
    expect(faultOf(() => tokenizeBlob(spineBlob(), { maxChars: 1e6, maxLines: 10_000, maxIndex: 5 })).fault).toBe(BlobFault.TOO_LARGE);
    expect(faultOf(() => tokenizeBlob('<HologicHeader1></HologicHeader1>\r\n')).fault).toBe(BlobFault.MISSING_VALUE);
  });

  it('ignores the NUL padding DICOM adds to an even length', () => {
    expect(tokenizeBlob(`${spineBlob()}\0`).sections).toHaveLength(6);
  });
});

describe('readResultsTables', () => {
  it('reads the spine rows by their row and column type codes, with the history and the Total range', () => {
    const content = readHologicBlob(spineBlob());
    expect(content.tables.summary?.map((row) => [row.region, row.side, row.values.bmd, row.values.tScore, row.values.zScore])).toEqual([
      ['L1', null, 0.94, -1.2, -0.5], ['L2', null, 1.028, -0.6, 0.1], ['L3', null, 1.026, -0.7, 0], ['L4', null, 1.002, -0.8, -0.1], ['total', null, 1, -0.8, -0.3],
    ]);
    expect(content.tables.summary?.[0]?.values).toEqual({
      areaCm2: 14.12, bmcGrams: 13.27, bmd: 0.94, tScore: -1.2, peakReferencePercent: 89, zScore: -0.5, ageMatchedPercent: 96,
    });
    expect(content.spineTotalRange).toBe('L1-L4');
    expect(content.tables.history?.rows[0]).toMatchObject({
      scanDate: { year: 2026, month: 12, day: 2 }, age: 70.7, bmd: 1, tScore: -0.8,
      changeVsBaseline: { value: 6.2, unit: 'percent', significant: true }, changeVsPrevious: { value: 1.1, unit: 'percent', significant: false },
    });
    expect(content.tables.history?.rows[2]).toMatchObject({ changeVsBaseline: null, changeVsPrevious: null });
  });

  it('leaves an excluded vertebra absent and takes the Total range from TableTitle2', () => {
    const withoutL4 = SPINE_ROWS.filter((row) => row.type !== 8);
    const content = readHologicBlob(writeHologicBlob(blobInput([summaryTable(withoutL4), historyTable('Results History: L1-L3')])));
    expect(content.tables.summary?.map((row) => row.region)).toEqual(['L1', 'L2', 'L3', 'total']);
    expect(content.spineTotalRange).toBe('L1-L3');
    expect(content.tables.frax).toBeNull();
  });

  it('reads a single hip', () => {
    const rows = tablesOf(writeHologicBlob(blobInput([summaryTable(HIP_ROWS)], { mode: 'f Right Hip', analysisProtocol: 'Hip' }))).summary;
    expect(rows?.map((row) => [row.region, row.side, row.values.bmd, row.values.tScore, row.values.peakReferencePercent, row.values.ageMatchedPercent])).toEqual([
      ['neck', null, 0.622, -2.3, 67, 77], ['total', null, 0.887, -1, 88, 94],
    ]);
  });

  it('reads the dual hip sides under Neck and Total and keeps |Diff.| apart as a difference', () => {
    const rows = tablesOf(writeHologicBlob(blobInput([summaryTable(DUAL_HIP_ROWS)]))).summary ?? [];
    expect(rows.map((row) => `${row.region}/${row.side}`)).toEqual([
      'neck/left', 'neck/right', 'neck/mean', 'neck/difference', 'total/left', 'total/right', 'total/mean', 'total/difference',
    ]);
    expect(rows.find((row) => row.side === 'difference' && row.region === 'neck')?.values).toMatchObject({ bmd: 0.066, tScore: 0.6 });
    expect(rows.filter((row) => row.side === null)).toEqual([]);
  });

  it('refuses a dual hip heading that carries numbers of its own, and a side row without a heading', () => {
    const withNumbers = DUAL_HIP_ROWS.map((row, index) => (index === 0 ? { type: 10, cells: ['Neck', '4.9', null, null, null, null, null, null] } : row));
    expect(faultOf(() => tablesOf(writeHologicBlob(blobInput([summaryTable(withNumbers)])))).fault).toBe(BlobFault.INCONSISTENT);
    const totalWithoutSides = [...DUAL_HIP_ROWS.slice(0, 5), { type: 3, cells: ['Total', '33.1', '28.8', '0.871', '-1.1', 87, '-0.6', 93] }];
    expect(faultOf(() => tablesOf(writeHologicBlob(blobInput([summaryTable(totalWithoutSides)])))).message).toMatch(/mixes dual hip side rows with a total row without a side/);
    const orphan = DUAL_HIP_ROWS.slice(1);
    expect(faultOf(() => tablesOf(writeHologicBlob(blobInput([summaryTable(orphan)])))).message).toMatch(/dual hip left row without a Neck or Total row above it/);
  });

  it('reads the forearm 1/3, MID, UD and Total', () => {
    const rows = tablesOf(writeHologicBlob(blobInput([summaryTable(FOREARM_ROWS)], { mode: 'a L.Forearm' }))).summary;
    expect(rows?.map((row) => [row.region, row.values.bmd])).toEqual([['forearm_33', 0.662], ['forearm_mid', 0.569], ['forearm_ud', 0.384], ['total', 0.534]]);
  });

  it('reads FRAX with and without prior fracture, and the risk factors', () => {
    expect(tablesOf(spineBlob()).frax).toEqual({
      reported: true,
      majorOsteoporotic: { withoutPriorFracture: 13, withPriorFracture: null },
      hip: { withoutPriorFracture: 2.9, withPriorFracture: null },
      riskFactors: 'US (Caucasian), T-score(WHO)=-2.5, BMI=22.7',
    });
  });

  it('reads the reason FRAX was not reported', () => {
    const frax = tablesOf(writeHologicBlob(blobInput([summaryTable(SPINE_ROWS), fraxNotReported()]))).frax;
    expect(frax).toEqual({ reported: false, reason: 'Patient age is outside 40-90' });
  });

  it('refuses a reported FRAX without any risk', () => {
    const empty = fraxReported();
    const rows = empty.rows.map((row) => (row.type === 72 ? { type: 72, cells: ['Hip Fracture', null, null] } : row));
    expect(faultOf(() => tablesOf(writeHologicBlob(blobInput([{ ...empty, rows }])))).fault).toBe(BlobFault.MISSING_VALUE);
  });

  it('knows every table, row and column type code of research §2.2', () => {
    expect(Object.keys(TABLE_TYPES).map(Number)).toEqual([1, 2, 8]);
    expect(Object.keys(ROW_TYPES).map(Number)).toEqual([1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 71, 72, 73, 112, 133, 134, 135, 136]);
    expect(Object.keys(COLUMN_TYPES).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 13, 16, 17, 18, 19, 20, 32, 33, 75]);
  });

  it('reads the columns by their codes, whatever order they are written in', () => {
    const table = summaryTable(HIP_ROWS);
    const order = [0, 3, 1, 2, 4, 6, 5, 7];
    const shuffled = { ...table, columnTypes: order.map((i) => table.columnTypes[i] ?? 0), rows: table.rows.map((row) => ({ ...row, cells: order.map((i) => row.cells[i] ?? null) })) };
    expect(tablesOf(writeHologicBlob(blobInput([shuffled]))).summary?.[0]?.values).toMatchObject({ bmd: 0.622, areaCm2: 4.91, bmcGrams: 3.05, zScore: -1.4 });
  });
});

describe('both spellings of a type code', () => {
  it('reads quoted and bare type codes and sizes alike', () => {
    const quoted = spineBlob().replace(/^(Table(?:Type|RowTypes|ColumnTypes)\d+(?:\[[ \d]+\])?) = (\d+);$/gm, '$1 = "$2";');
    expect(quoted).toContain('TableType1 = "1";');
    expect(tablesOf(quoted)).toEqual(tablesOf(spineBlob()));
  });
});

describe('bounded work', () => {
  it('reads a table at the index limit quickly and refuses one past it', () => {
    const rows = Array.from({ length: 200 }, () => ({ type: 4, cells: ['12/02/2026', '70.7', '1.000', '-0.8', '6.2%*', '1.1%'] }));
    const big = writeHologicBlob(blobInput([{ ...historyTable('Results History: L1-L4'), rows }]));
    const started = performance.now();
    expect(tablesOf(big).history?.rows).toHaveLength(200);
    expect(performance.now() - started).toBeLessThan(2000);
    const tooBig = writeHologicBlob(blobInput([{ ...historyTable('Results History: L1-L4'), rows: [...rows, ...rows.slice(0, 2)] }]));
    expect(faultOf(() => tablesOf(tooBig)).fault).toBe(BlobFault.TOO_LARGE);
  });
});

describe('bad tables', () => {
  it('refuses a blob cut off mid-table, naming the table and the missing cell', () => {
    const text = spineBlob();
    const cut = text.slice(0, text.indexOf('ResultsTable1[ 3][ 0]'));
    const error = faultOf(() => readHologicBlob(cut));
    expect(error.fault).toBe(BlobFault.CUT_OFF_TABLE);
    expect(error.message).toMatch(/ResultsTable1 ends before ResultsTable1\[3\]\[0\]/);
    expect(error.code).toBe('INCOMPLETE_REPORT');
  });

  it('refuses a cell that is not a number, naming table, row and column', () => {
    const text = spineBlob().replace('ResultsTable1[ 2][ 3] = "1.028";', 'ResultsTable1[ 2][ 3] = "1.O28";');
    const error = faultOf(() => readHologicBlob(text));
    expect(error.fault).toBe(BlobFault.NOT_A_NUMBER);
    expect(error.message).toMatch(/ResultsTable1 row 2 \(row type 6\) column bmd is "1.O28", not a number/);
  });

  it('refuses an unknown table type, row type and column type', () => {
    expect(faultOf(() => readHologicBlob(spineBlob().replace('TableType1 = 1;', 'TableType1 = 4;'))).fault).toBe(BlobFault.UNKNOWN_TABLE_TYPE);
    const unknownRow = summaryTable([...HIP_ROWS, { type: 9, cells: ['Shaft', '1', '1', '0.7', '-1', 90, '-0.5', 95] }]);
    expect(faultOf(() => tablesOf(writeHologicBlob(blobInput([unknownRow])))).message).toMatch(/row 3 has row type 9, not known in a summary table/);
    expect(faultOf(() => readHologicBlob(spineBlob().replace('TableColumnTypes1[ 7] = 13;', 'TableColumnTypes1[ 7] = 99;'))).fault).toBe(BlobFault.UNKNOWN_COLUMN_TYPE);
    expect(faultOf(() => readHologicBlob(spineBlob().replace('TableRowTypes1[ 1] = 5;', 'TableRowTypes1[ 1] = 71;'))).fault).toBe(BlobFault.UNKNOWN_ROW_TYPE);
  });

  it('reads the hip sub-regions by their inferred codes only when the Region cell names them too', () => {
    const subRegions = summaryTable([
      ...HIP_ROWS,
      { type: 11, cells: ['Troch', '11.82', '8.40', '0.711', '-0.4', 95, '0.3', 104] },
      { type: 12, cells: ['Inter', '20.10', '22.13', '1.101', '-0.6', 93, '0.1', 101] },
      { type: 13, cells: ['Wards', '1.20', '0.59', '0.492', '-1.9', 68, '-0.6', 89] },
    ]);
    const rows = tablesOf(writeHologicBlob(blobInput([subRegions]))).summary ?? [];
    expect(rows.map((row) => [row.region, row.values.bmd, row.values.tScore])).toEqual([
      ['neck', 0.622, -2.3],
      ['total', 0.887, -1],
      ['troch', 0.711, -0.4],
      ['inter', 1.101, -0.6],
      ['wards', 0.492, -1.9],
    ]);
    const mislabelled = summaryTable([...HIP_ROWS, { type: 12, cells: ['Wards', '1.20', '0.59', '0.492', '-1.9', 68, '-0.6', 89] }]);
    const error = faultOf(() => tablesOf(writeHologicBlob(blobInput([mislabelled]))));
    expect(error.fault).toBe(BlobFault.UNKNOWN_ROW_TYPE);
    expect(error.message).toMatch(/row 3 has row type 12, read as inter only when its Region cell says so, but it says "Wards"/);
  });

  it('refuses an index outside the declared rows and columns', () => {
    const text = spineBlob().replace('ResultsTable1[ 5][ 7] = "100";', 'ResultsTable1[ 5][ 7] = "100";\r\nResultsTable1[ 9][ 0] = "L5";');
    const error = faultOf(() => readHologicBlob(text));
    expect(error.fault).toBe(BlobFault.INDEX_OUT_OF_RANGE);
    expect(error.message).toMatch(/ResultsTable1\[9\]\[0\] is outside the declared 6 rows × 8 columns/);
  });

  it('refuses two tables of one type', () => {
    expect(faultOf(() => tablesOf(writeHologicBlob(blobInput([summaryTable(SPINE_ROWS), summaryTable(HIP_ROWS)])))).fault).toBe(BlobFault.INCONSISTENT);
  });
});
