import { HologicBlobError } from '../../src/readers/hologic/blob-error.ts';
import {
  type BlobInput,
  type BlobTableInput,
  HISTORY_COLUMNS,
  HISTORY_HEADER,
  SUMMARY_COLUMNS,
  SUMMARY_HEADER,
} from '../../src/fixtures/hologic-blob.ts';

/** Synthetic blob inputs; the numbers are the de-identified examples of research §2.2. */
export const PATIENT: BlobInput['patient'] = {
  name: 'Jansen^Anna',
  patientId: 'SYN-0001',
  sex: 'Female',
  dob: '03/14/1956',
  age: 70,
  height: '64.5 in',
  weight: '146.0  lb',
  menopauseAge: 51,
};

export const SCAN: BlobInput['scan'] = {
  date: 'December 2, 2026',
  scanId: 'A12022601',
  mode: 'x Lumbar Spine',
  analysisProtocol: 'Lumbar Spine',
  model: 'Horizon Ci (S/N 301234M)',
  softwareVersion: '13.6.1.4',
};

type Cells = (string | number | null)[];
const row = (type: number, cells: Cells) => ({ type, cells });

export function summaryTable(rows: { type: number; cells: Cells }[]): BlobTableInput {
  return { type: 1, title: 'Results Summary', columnTypes: [...SUMMARY_COLUMNS], rows: [row(1, SUMMARY_HEADER), ...rows] };
}

export const SPINE_ROWS = [
  row(5, ['L1', '14.12', '13.27', '0.940', '-1.2', 89, '-0.5', 96]),
  row(6, ['L2', '15.01', '15.43', '1.028', '-0.6', 95, '0.1', 103]),
  row(7, ['L3', '16.30', '16.72', '1.026', '-0.7', 94, '0.0', 102]),
  row(8, ['L4', '18.10', '18.14', '1.002', '-0.8', 92, '-0.1', 100]),
  row(3, ['Total', '63.53', '63.56', '1.000', '-0.8', 92, '-0.3', 100]),
];

export const HIP_ROWS = [
  row(10, ['Neck', '4.91', '3.05', '0.622', '-2.3', 67, '-1.4', 77]),
  row(3, ['Total', '33.10', '29.36', '0.887', '-1.0', 88, '-0.5', 94]),
];

export const DUAL_HIP_ROWS = [
  row(10, ['Neck', null, null, null, null, null, null, null]),
  row(133, ['Left', '4.90', '3.03', '0.618', '-2.1', 70, '-1.2', 80]),
  row(134, ['Right', '4.88', '2.69', '0.552', '-2.7', 62, '-1.8', 71]),
  row(135, ['Mean', '4.89', '2.86', '0.585', '-2.4', 66, '-1.5', 76]),
  row(136, ['|Diff.|', '0.02', '0.34', '0.066', '0.6', 8, '0.6', 9]),
  row(3, ['Total', null, null, null, null, null, null, null]),
  row(133, ['Left', '33.0', '29.0', '0.880', '-1.0', 88, '-0.5', 94]),
  row(134, ['Right', '33.2', '28.6', '0.862', '-1.2', 86, '-0.7', 92]),
  row(135, ['Mean', '33.1', '28.8', '0.871', '-1.1', 87, '-0.6', 93]),
  row(136, ['|Diff.|', '0.2', '0.4', '0.018', '0.2', 2, '0.2', 2]),
];

export const FOREARM_ROWS = [
  row(14, ['1/3', '2.90', '1.92', '0.662', '-1.6', 87, '-0.6', 95]),
  row(15, ['MID', '5.60', '3.19', '0.569', '-1.9', 84, '-0.8', 93]),
  row(16, ['UD', '3.80', '1.46', '0.384', '-1.5', 86, '-0.4', 96]),
  row(3, ['Total', '12.30', '6.57', '0.534', '-1.8', 85, '-0.7', 94]),
];

export function historyTable(title: string): BlobTableInput {
  return {
    type: 2,
    title,
    columnTypes: [...HISTORY_COLUMNS],
    rows: [
      row(1, HISTORY_HEADER),
      row(4, ['12/02/2026', '70.7', '1.000', '-0.8', '6.2%*', '1.1%']),
      row(4, ['11/20/2024', '68.7', '0.989', '-0.9', '5.0%*', null]),
      row(4, ['10/01/2020', '64.6', '0.942', '-1.3', null, null]),
    ],
  };
}

export function fraxReported(): BlobTableInput {
  return {
    type: 8,
    title: '10-year Fracture Risk',
    columnTypes: [20, 32, 33],
    rows: [
      row(1, ['10-year Fracture Risk<sup>1</sup>', 'Without Prior Fracture', 'With Prior Fracture']),
      row(71, ['Major Osteoporotic Fracture', '13%', ' ']),
      row(72, ['Hip Fracture', '2.9%', null]),
      row(112, ['Reported Risk Factors:', null, null]),
      row(73, ['US (Caucasian), T-score(WHO)=-2.5, BMI=22.7', null, null]),
    ],
  };
}

export function fraxNotReported(): BlobTableInput {
  return {
    type: 8,
    title: '10-year Fracture Risk',
    columnTypes: [20, 75],
    rows: [row(1, ['10-year Fracture Risk<sup>1</sup>', ' ']), row(73, ['FRAX not reported because:<br>Patient age is outside 40-90', null])],
  };
}

export function blobInput(tables: BlobTableInput[], scan: Partial<BlobInput['scan']> = {}): BlobInput {
  return {
    patient: PATIENT,
    scan: { ...SCAN, ...scan },
    tables,
    graphTitle: 'T-score vs. White Female; Z-score vs. White Female. Source:2012 BMDCS/Hologic',
    fractureRisk: 'Fracture Risk: Increased; WHO Classification: Osteopenia<BR>* Denotes significance, LSC is 0.026675 g/cm&sup2;',
  };
}

/** The typed error an action throws; anything else (or nothing) fails the test. */
export function faultOf(action: () => unknown): HologicBlobError {
  try {
    action();
  } catch (error) {
    if (error instanceof HologicBlobError) return error;
    throw error;
  }
  throw new Error('expected a HologicBlobError');
}
