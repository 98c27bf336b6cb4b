import { isSpineRange, type SpineRange } from '../../model/regions.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { BlobFault, HologicBlobError } from './blob-error.ts';
import { type BlobAssignment, type BlobSection, findSection, requireScalar, requireSection, scalar, type BlobTokens } from './blob-tokens.ts';
import { parseUsDate } from './us-date.ts';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface Quantity<Unit extends string> {
  value: number;
  unit: Unit;
}

/** PatInfo.js: kept for the checks against the DICOM header, which stays the source of identity. */
export interface HologicPatient {
  name: string | null;
  patientId: string | null;
  sex: 'female' | 'male';
  birthDate: CalendarDate;
  height: Quantity<'in' | 'cm'> | null;
  weight: Quantity<'lb' | 'kg'> | null;
  /** age at menopause in years; null when PatInfo leaves it empty */
  menopauseAge: number | null;
}

/** `f`, `a` or `x` before the scan mode (APEX's scan speed/mode letter), kept as written. */
export type ScanModePrefix = 'f' | 'a' | 'x';

export interface HologicScan {
  date: CalendarDate;
  scanId: string;
  mode: { prefix: ScanModePrefix; name: string };
  analysisProtocol: string;
  softwareVersion: string;
  model: { name: string; serialNumber: string };
  /** the dual hip's second scan (Scan2, ScanMode2) */
  second: { date: CalendarDate; scanId: string; mode: { prefix: ScanModePrefix; name: string } } | null;
}

export type WhoClass = 'Normal' | 'Osteopenia' | 'Osteoporosis';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function readPatient(tokens: BlobTokens): HologicPatient {
  const section = requireSection(tokens, 'PatInfo');
  const sexLine = requireScalar(section, 'PatientSex');
  const sex = ({ Female: 'female', Male: 'male' } as const)[sexLine.value.trim() as 'Female' | 'Male'];
  if (!sex) throw invalid(sexLine, 'PatientSex', 'Female or Male');
  const dobLine = requireScalar(section, 'DOB');
  const birthDate = parseUsDate(dobLine.value);
  if (!birthDate) throw invalid(dobLine, 'DOB', 'a date MM/DD/YYYY');
  return {
    name: optionalText(section, 'PatientName'),
    patientId: optionalText(section, 'PatientID'),
    sex,
    birthDate,
    height: quantity(section, 'Height', ['in', 'cm']),
    weight: quantity(section, 'Weight', ['lb', 'kg']),
    menopauseAge: optionalNumber(section, 'MenopauseAge'),
  };
}

export function readScan(tokens: BlobTokens): HologicScan {
  const section = requireSection(tokens, 'ScanInfo');
  const first = scanOf(section, '');
  const hasSecond = scalar(section, 'Scan2') !== null || scalar(section, 'ScanMode2') !== null;
  const modelLine = requireScalar(section, 'Model');
  // The serial number sits inside the model name: `Horizon Ci (S/N 301234M)`.
  const model = /^(.+?)\s*\(S\/N\s*([^)\s][^)]*)\)$/.exec(modelLine.value.trim());
  if (!model?.[1] || !model[2]) throw invalid(modelLine, 'Model', 'a model name with its serial, as "Horizon Ci (S/N 123456)"');
  return {
    ...first,
    analysisProtocol: requiredText(section, 'AnalProtocol'),
    softwareVersion: requiredText(section, 'HologicSoftwareVer'),
    model: { name: model[1], serialNumber: model[2].trim() },
    second: hasSecond ? scanOf(section, '2') : null,
  };
}

function scanOf(section: BlobSection, suffix: string): Pick<HologicScan, 'date' | 'scanId' | 'mode'> {
  const scanLine = requireScalar(section, `Scan${suffix}`);
  // `December 2, 2026 - A12022601`
  const scan = /^([A-Z][a-z]+) (\d{1,2}), (\d{4}) - (\S+)$/.exec(scanLine.value.trim());
  const month = MONTHS.indexOf(scan?.[1] ?? '') + 1;
  const date = scan && month > 0 ? parseUsDate(`${String(month).padStart(2, '0')}/${scan[2]?.padStart(2, '0')}/${scan[3]}`) : null;
  if (!scan?.[4] || !date) throw invalid(scanLine, `Scan${suffix}`, '"<Month d, yyyy> - <scan id>"');
  const modeLine = requireScalar(section, `ScanMode${suffix}`);
  const mode = /^([fax]) (\S.*)$/.exec(modeLine.value.trim());
  if (!mode?.[1] || !mode[2]) throw invalid(modeLine, `ScanMode${suffix}`, 'a scan mode after its f, a or x prefix');
  return { date, scanId: scan[4], mode: { prefix: mode[1] as ScanModePrefix, name: mode[2] } };
}

/** GraphTitle2, e.g. `T-score vs. White Female. Source:2012 BMDCS/Hologic`: the whole text, HTML removed. */
export function readReferenceDatabase(tokens: BlobTokens): string {
  const line = requireScalar(requireSection(tokens, 'Graph'), 'GraphTitle2');
  const text = line.value.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (!/Source:\s*\S/.test(text)) throw invalid(line, 'GraphTitle2', 'a reference text naming its Source:');
  return text;
}

/** The scanner's WHO class from FractureRiskStr (`WHO Classification: Osteopenia`, 13.6: `WHO Classification on Bolded Results: …`). */
export function readScannerWhoClass(tokens: BlobTokens): WhoClass {
  const line = requireScalar(requireSection(tokens, 'Fracture'), 'FractureRiskStr');
  const found = [...line.value.matchAll(/WHO Classification(?: on Bolded Results)?:\s*([A-Za-z]+)/g)].map((match) => match[1]);
  const only = found[0];
  if (found.length !== 1 || (only !== 'Normal' && only !== 'Osteopenia' && only !== 'Osteoporosis')) {
    throw invalid(line, 'FractureRiskStr', 'one WHO Classification: Normal, Osteopenia or Osteoporosis');
  }
  return only;
}

/** The combined spine range from the history table's title: `Results History: L1-L3` → `L1-L3`; no range → null. */
export function spineRangeOf(historyTitle: string): SpineRange | null {
  const match = /^Results History(?::\s*(\S+))?\s*$/.exec(historyTitle.trim());
  if (historyTitle.trim() === '') return null;
  if (!match) throw new HologicBlobError(BlobFault.INVALID_VALUE, `history table title ${JSON.stringify(historyTitle)} is not "Results History: Lx-Ly"`);
  const range = match[1];
  if (range === undefined) return null;
  if (!isSpineRange(range)) throw new HologicBlobError(BlobFault.INVALID_VALUE, `history table title names ${JSON.stringify(range)}, not a lumbar range Lx-Ly`);
  return range;
}

/** PComment's PhysicianComment, when the section is there. */
export function readPhysicianComment(tokens: BlobTokens): string | null {
  const section = findSection(tokens, 'PComment');
  return section ? optionalText(section, 'PhysicianComment') : null;
}

function quantity<Unit extends string>(section: BlobSection, name: string, units: readonly Unit[]): Quantity<Unit> | null {
  const line = scalar(section, name);
  if (!line || line.value.trim() === '') return null;
  const match = /^(\S+)\s+(\S+)$/.exec(line.value.trim());
  const value = parseDecimal(match?.[1]);
  const unit = match?.[2] as Unit | undefined;
  if (value === null || unit === undefined || !units.includes(unit)) throw invalid(line, name, `a number with its unit (${units.join(' or ')})`);
  return { value, unit };
}

function optionalNumber(section: BlobSection, name: string): number | null {
  const line = scalar(section, name);
  if (!line || line.value.trim() === '') return null;
  const value = parseDecimal(line.value);
  if (value === null) throw new HologicBlobError(BlobFault.NOT_A_NUMBER, `${section.name} ${name} is ${JSON.stringify(line.value)}, not a number`, line.line);
  return value;
}

function optionalText(section: BlobSection, name: string): string | null {
  const value = scalar(section, name)?.value.trim();
  return value ? value : null;
}

function requiredText(section: BlobSection, name: string): string {
  const line = requireScalar(section, name);
  const value = line.value.trim();
  if (value === '') throw new HologicBlobError(BlobFault.MISSING_VALUE, `${section.name} ${name} is empty`, line.line);
  return value;
}

function invalid(line: BlobAssignment, name: string, expected: string): HologicBlobError {
  return new HologicBlobError(BlobFault.INVALID_VALUE, `${name} is ${JSON.stringify(line.value)}, not ${expected}`, line.line);
}
