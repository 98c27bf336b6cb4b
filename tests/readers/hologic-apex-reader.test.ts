import { describe, expect, it } from 'vitest';
import { type BlobInput, writeHologicBlob } from '../../src/fixtures/hologic-blob.ts';
import { type BlobVr, type HologicScInput, writeHologicSc } from '../../src/fixtures/write-hologic-sc.ts';
import type { Region, Side } from '../../src/model/regions.ts';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { DEFAULT_READ_LIMITS } from '../../src/dicom/read-limits.ts';
import { readInstance } from '../../src/readers/read-instance.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { HologicBlobError } from '../../src/readers/hologic/blob-error.ts';
import { HologicObjectError } from '../../src/readers/hologic/hologic-object-error.ts';
import { fixtureStudy, instanceBytes, readBad, readOk } from '../helpers/exports.ts';
import { blobInput, DUAL_HIP_ROWS, FOREARM_ROWS, HIP_ROWS, historyTable, SPINE_ROWS, summaryTable } from './hologic-blob-cases.ts';

type Cells = (string | number | null)[];
type Row = { type: number; cells: Cells };

const VRS: readonly BlobVr[] = ['UN', 'OB', 'LT'];

/** The header as APEX writes it for the synthetic patient of hologic-blob-cases.ts. */
function sc(blob: string | null, vr: BlobVr = 'UN', change: Partial<HologicScInput> = {}): Uint8Array {
  return writeHologicSc({
    key: 'test/hologic-apex',
    blob,
    blobVr: vr,
    patientId: 'SYN-0001',
    patientName: 'Jansen^Anna',
    birthDate: '19560314',
    sex: 'F',
    studyDate: '20261202',
    ...change,
  });
}

const number = (cell: string | number | null | undefined): number | null => (cell === null || cell === undefined ? null : Number(cell));

/** What the reader must give for a summary row of the generator: its cells as numbers, under the expected region and side. */
function expected(row: Row, region: Region, side: Side, scan: string) {
  const [label, area, bmc, bmd, t, pr, z, am] = row.cells;
  return {
    region,
    side,
    bmd: number(bmd),
    bmc: number(bmc),
    areaCm2: number(area),
    tScore: number(t),
    zScore: number(z),
    youngAdultPercent: number(pr),
    ageMatchedPercent: number(am),
    source: { sopInstanceUid: expect.any(String) as string, scan, roi: String(label) },
  };
}

function difference(row: Row, region: Region, scan: string) {
  const [label, , , bmd, t, , z] = row.cells;
  return { region, bmd: number(bmd), tScore: number(t), zScore: number(z), source: { sopInstanceUid: expect.any(String) as string, scan, roi: String(label) } };
}

const rows = (list: readonly Row[], ...indices: number[]): Row[] => indices.map((index) => list[index] as Row);

const spineL1L3: BlobInput = blobInput([summaryTable(rows(SPINE_ROWS, 0, 1, 2, 4)), historyTable('Results History: L1-L3')]);
const leftHip: BlobInput = blobInput([summaryTable([...HIP_ROWS])], { mode: 'x Left Hip', analysisProtocol: 'Left Hip' });
const dualHip: BlobInput = blobInput([summaryTable([...DUAL_HIP_ROWS])], {
  mode: 'x Left Hip',
  analysisProtocol: 'Hip',
  second: { date: 'December 2, 2026', scanId: 'A12022602', mode: 'x Right Hip' },
});
const forearm: BlobInput = blobInput([summaryTable([...FOREARM_ROWS])], { mode: 'a L.Forearm', analysisProtocol: 'Left Forearm' });

function readWith(bytes: Uint8Array): unknown {
  try {
    readInstance(bytes, 'hologic.dcm');
  } catch (error) {
    return error;
  }
  throw new Error('expected the object to be refused');
}

describe.each(VRS)('Hologic APEX report image, blob in VR %s', (vr) => {
  it('a spine with L4 excluded: L1, L2, L3 and the Total as L1-L3', () => {
    const extraction = readOk(sc(writeHologicBlob(spineL1L3), vr));
    const scan = 'A12022601 (x Lumbar Spine)';
    expect(extraction.instance.reader).toBe('hologic-apex');
    expect(extraction.measurements).toEqual([
      expected(SPINE_ROWS[0] as Row, 'L1', null, scan),
      expected(SPINE_ROWS[1] as Row, 'L2', null, scan),
      expected(SPINE_ROWS[2] as Row, 'L3', null, scan),
      expected(SPINE_ROWS[4] as Row, 'L1-L3', null, scan),
    ]);
    expect(extraction.sideDifferences).toEqual([]);
    expect(extraction.measurements.every((m) => m.source.sopInstanceUid === extraction.instance.sopInstanceUid)).toBe(true);
    expect(extraction.study).toMatchObject({
      manufacturer: 'HOLOGIC',
      model: 'Horizon Ci',
      deviceSerialNumber: '301234M',
      softwareVersion: 'APEX 13.6.1.4',
      referenceDatabase: 'T-score vs. White Female; Z-score vs. White Female. Source:2012 BMDCS/Hologic',
      vendorCategory: 'Osteopenia',
      studyDate: '2026-12-02',
    });
    expect(extraction.patient).toMatchObject({ id: 'SYN-0001', birthDate: '1956-03-14', sex: 'female' });
    expect(extraction.warnings.map((warning) => warning.code)).toEqual(['NO_SECOND_COPY']);
  });

  it('holds the letters of a Hologic study for a person to look at: its values have no second copy to check against', async () => {
    const study = await assessStudy(mergeStudy([readOk(sc(writeHologicBlob(leftHip), vr))]), { context: { menopausalStatus: 'post', fractureHistory: [] }, file: 'context.json' }, undefined, async () => null);
    expect(study.classification.holdingFlags).toContain('UNVERIFIED_VALUES');
    expect(study.classification.releasable).toBe(false);
  });

  it('a left hip: neck and total on the left', () => {
    const scan = 'A12022601 (x Left Hip)';
    expect(readOk(sc(writeHologicBlob(leftHip), vr)).measurements).toEqual([
      expected(HIP_ROWS[0] as Row, 'femoral_neck', 'left', scan),
      expected(HIP_ROWS[1] as Row, 'total_hip', 'left', scan),
    ]);
  });

  it('a dual hip: left, right and mean as measurements, |Diff.| kept apart', () => {
    const extraction = readOk(sc(writeHologicBlob(dualHip), vr));
    const scan = 'A12022601 (x Left Hip) + A12022602 (x Right Hip)';
    const [, neckLeft, neckRight, neckMean, neckDiff, , totalLeft, totalRight, totalMean, totalDiff] = DUAL_HIP_ROWS as Row[];
    expect(extraction.measurements).toEqual([
      expected(neckLeft as Row, 'femoral_neck', 'left', scan),
      expected(neckRight as Row, 'femoral_neck', 'right', scan),
      expected(neckMean as Row, 'femoral_neck', 'mean', scan),
      expected(totalLeft as Row, 'total_hip', 'left', scan),
      expected(totalRight as Row, 'total_hip', 'right', scan),
      expected(totalMean as Row, 'total_hip', 'mean', scan),
    ]);
    expect(extraction.sideDifferences).toEqual([difference(neckDiff as Row, 'femoral_neck', scan), difference(totalDiff as Row, 'total_hip', scan)]);
  });

  it('a left forearm: the radius rows', () => {
    const scan = 'A12022601 (a L.Forearm)';
    expect(readOk(sc(writeHologicBlob(forearm), vr)).measurements).toEqual([
      expected(FOREARM_ROWS[0] as Row, 'radius_33', 'left', scan),
      expected(FOREARM_ROWS[1] as Row, 'radius_mid', 'left', scan),
      expected(FOREARM_ROWS[2] as Row, 'radius_ud', 'left', scan),
      expected(FOREARM_ROWS[3] as Row, 'radius_total', 'left', scan),
    ]);
  });
});

describe('Hologic APEX blob text and header', () => {
  const graphTitle = 'T-score vs. Blanke Vrouw (Zoë). Source:NHANES';
  const withAccent = writeHologicBlob({ ...leftHip, graphTitle });

  it('decodes the blob as UTF-8 under ISO_IR 192, in every VR', () => {
    for (const vr of VRS) expect(readOk(sc(withAccent, vr)).study.referenceDatabase).toBe(graphTitle);
  });

  it('reads the blob from an Implicit VR file, where it arrives as bytes without a VR', () => {
    const bytes = sc(withAccent, 'UN', { implicitVr: true });
    expect(parseDicomBytes(bytes).elements['x00191000']?.vr).toBeUndefined();
    const extraction = readOk(bytes);
    expect(extraction.study.referenceDatabase).toBe(graphTitle);
    expect(extraction.measurements.map((m) => [m.region, m.side, m.bmd])).toEqual([
      ['femoral_neck', 'left', 0.622],
      ['total_hip', 'left', 0.887],
    ]);
  });

  it('decodes the blob as Latin-1 when the object declares no character set', () => {
    for (const vr of ['UN', 'OB'] as const) expect(readOk(sc(withAccent, vr, { characterSet: null })).study.referenceDatabase).toBe(graphTitle);
  });

  it('a blob larger than the read limit for text is refused before it is decoded', () => {
    const error = (() => {
      try {
        readInstance(sc(withAccent), 'big.dcm', { ...DEFAULT_READ_LIMITS, maxTextBytes: 1024 });
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining('(0019,1000)') as string });
  });

  it('takes the serial from a header model written as APEX does, and the scanner values the header lacks from ScanInfo', () => {
    const blob = writeHologicBlob(leftHip);
    expect(readOk(sc(blob, 'UN', { model: 'Horizon Ci (S/N 301234M)' })).study).toMatchObject({ model: 'Horizon Ci', deviceSerialNumber: '301234M' });
    expect(readWith(sc(blob, 'UN', { model: 'Horizon Ci (S/N 999999)' }))).toMatchObject({ fault: 'SCANNER_MISMATCH', message: expect.stringContaining('"999999"') as string });
    expect(readWith(sc(blob, 'UN', { deviceSerialNumber: '999999' }))).toMatchObject({ fault: 'SCANNER_MISMATCH' });
    expect(readWith(sc(blob, 'UN', { softwareVersion: 'APEX 13.2' }))).toMatchObject({ fault: 'SCANNER_MISMATCH', message: expect.stringContaining('"13.6.1.4"') as string });
    expect(readOk(sc(blob, 'UN', { softwareVersion: '13.6.1.4' })).study.softwareVersion).toBe('13.6.1.4');
  });
});

describe('Hologic APEX objects that cannot be read', () => {
  const spine = writeHologicBlob(spineL1L3);

  it('a report image without the blob', () => {
    const error = readWith(sc(null));
    expect(error).toBeInstanceOf(HologicObjectError);
    expect(error).toMatchObject({ fault: 'MISSING_BLOB', code: 'NO_RESULTS' });
    expect(readBad(sc(null))).toMatchObject({ code: 'NO_RESULTS', error: expect.stringContaining('without the results blob (0019,1000)') as string });
  });

  it('a blob without its private creator', () => {
    const error = readWith(sc(spine, 'UN', { blobCreator: false }));
    expect(error).toBeInstanceOf(HologicObjectError);
    expect(error).toMatchObject({ fault: 'MISSING_CREATOR', message: expect.stringContaining('no private creator (0019,0010)') as string });
  });

  it('a blob cut off in the middle of the results table', () => {
    const cut = spine.slice(0, spine.indexOf('ResultsTable1[ 2]'));
    const error = readWith(sc(cut));
    expect(error).toBeInstanceOf(HologicBlobError);
    expect(error).toMatchObject({ code: 'INCOMPLETE_REPORT' });
  });

  it('a cell that is not a number', () => {
    const error = readWith(sc(spine.replace('"0.940"', '"0.9x0"')));
    expect(error).toBeInstanceOf(HologicBlobError);
    expect(error).toMatchObject({ fault: 'NOT_A_NUMBER', message: expect.stringContaining('0.9x0') as string });
  });

  it('a BMD in mg/cm² or a score without its decimal point, refused as implausible', () => {
    for (const [from, to, says] of [['"0.940"', '"940"', /BMD of L1 .* is 940, outside 0.1–3 g\/cm²/], ['"-1.2"', '"-12"', /T-score of L1 .* is -12, beyond ±10/]] as const) {
      const error = readWith(sc(spine.replace(from, to)));
      expect(error).toMatchObject({ code: 'IMPLAUSIBLE_VALUE', message: expect.stringMatching(says) as string });
    }
  });

  it('a blob of another patient than the header, naming both', () => {
    const other = writeHologicBlob({ ...spineL1L3, patient: { ...spineL1L3.patient, patientId: 'SYN-0002' } });
    const error = readWith(sc(other));
    expect(error).toBeInstanceOf(HologicObjectError);
    expect(error).toMatchObject({ fault: 'HEADER_MISMATCH', code: 'CONFLICTING_HEADER' });
    expect((error as Error).message).toContain('"SYN-0001"');
    expect((error as Error).message).toContain('"SYN-0002"');
  });

  it('a blob with another birth date or scan date than the header', () => {
    expect(readWith(sc(spine, 'UN', { birthDate: '19560315' }))).toMatchObject({ fault: 'HEADER_MISMATCH', message: expect.stringContaining('"1956-03-15"') as string });
    expect(readWith(sc(spine, 'UN', { studyDate: '20261201' }))).toMatchObject({ fault: 'HEADER_MISMATCH', message: expect.stringContaining('"2026-12-02"') as string });
  });

  it("a dual hip whose second scan is of another day than the header's", () => {
    const otherDay = writeHologicBlob({ ...dualHip, scan: { ...dualHip.scan, second: { date: 'December 1, 2026', scanId: 'A12012602', mode: 'x Right Hip' } } });
    expect(readWith(sc(otherDay))).toMatchObject({ fault: 'HEADER_MISMATCH', message: expect.stringContaining('"2026-12-01"') as string });
  });

  it('a header naming another scanner model than the blob', () => {
    expect(readWith(sc(spine, 'UN', { model: 'Horizon W' }))).toMatchObject({ fault: 'SCANNER_MISMATCH', message: expect.stringContaining('"Horizon W"') as string });
  });
});

describe('Hologic IVA (VFA) images', () => {
  it('a blob without results is kept without results and with a warning, not quarantined', () => {
    const iva = writeHologicBlob(blobInput([], { mode: 'a SE R/L Lateral Image', analysisProtocol: 'IDS_ANA_TITLE_IVAHD_CW_SE_LAT' }));
    expect(iva).not.toContain('Results.js');
    const extraction = readOk(sc(iva, 'OB', { modality: 'OT' }));
    expect(extraction.instance.reader).toBe('hologic-apex');
    expect(extraction.measurements).toEqual([]);
    expect(extraction.warnings).toEqual([expect.objectContaining({ code: 'UNKNOWN_SCAN', message: expect.stringContaining('IVA') as string })]);
  });

  it('an IVA results page flagged by (0013,1000) without a blob is kept with a warning', () => {
    const extraction = readOk(sc(null, 'UN', { modality: 'OT', ivaResultsFlag: true }));
    expect(extraction.measurements).toEqual([]);
    expect(extraction.warnings).toEqual([expect.objectContaining({ code: 'UNKNOWN_SCAN' })]);
  });
});

it('a GE Lunar report still goes to the GE reader', () => {
  expect(readOk(instanceBytes(fixtureStudy('02'), 0)).instance.reader).toBe('ge-lunar-enhanced-sr');
});
