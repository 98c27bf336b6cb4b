import { ageInYears } from '../clinical/age.ts';
import { menopauseFromScanner } from '../clinical/scanner-menopause.ts';
import type { ScannerFrax } from '../model/frax.ts';
import { ProblemCode, type Problem } from '../model/problems.ts';
import { shortInput } from '../model/quote-input.ts';
import { regionOrder, sideOrder } from '../model/regions.ts';
import { VFA_LEVELS, type ExtractedStudy, type Instance, type InstanceExtraction, type Measurement, type Patient, type Study, type StudyScannerContext, type VfaVertebra } from '../model/study.ts';
import { sameValues } from '../readers/ge-lunar/interpret-rois.ts';
import { studyVendorCategory } from '../clinical/vendor-category.ts';

/**
 * Merges the instances of one StudyInstanceUID into one study. The same SOPInstanceUID twice is
 * harmless when its content is the same; any disagreement between instances is an error of the study.
 */
export function mergeStudy(parts: InstanceExtraction[]): ExtractedStudy {
  const sorted = [...parts].sort((a, b) => instanceOrder(a.instance, b.instance));
  const first = sorted[0];
  if (!first) throw new Error('mergeStudy needs at least one instance');

  const errors: Problem[] = [];
  const seen = new Map<string, InstanceExtraction>();
  const unique: InstanceExtraction[] = [];
  for (const part of sorted) {
    const earlier = seen.get(part.instance.sopInstanceUid);
    if (!earlier) {
      seen.set(part.instance.sopInstanceUid, part);
      unique.push(part);
    } else if (contentFingerprint(earlier) !== contentFingerprint(part)) {
      errors.push({
        code: ProblemCode.DUPLICATE_INSTANCE_DIFFERS,
        message: `instance ${part.instance.sopInstanceUid} arrived twice with different content (${earlier.instance.file}, ${part.instance.file})`,
        file: part.instance.file,
      });
    }
  }

  const patient = mergeFields<Patient>(unique.map((part) => part.patient), 'patient', errors);
  // The scanner is the one that measured BMD; an instance with only VFA may come from a reading workstation.
  const withBmd = unique.filter((part) => part.measurements.length > 0);
  const scannerParts = withBmd.length > 0 ? withBmd : unique;
  const study = {
    ...mergeFields<Study>(unique.map((part) => ({ ...part.study, ...NO_SCANNER })), 'study', errors, ['description', 'accessionNumber', 'institution']),
    ...pickScanner(mergeFields<Study>(scannerParts.map((part) => part.study), 'scanner', errors, ['description', 'accessionNumber', 'institution', 'referringPhysician', ...PER_SCAN_FIELDS])),
    ...perScanFields(scannerParts),
  };
  const measurements: Measurement[] = [];
  for (const part of unique) {
    for (const candidate of part.measurements) {
      const existing = measurements.find((m) => m.region === candidate.region && m.side === candidate.side);
      if (!existing) measurements.push(candidate);
      else if (!sameValues(existing, candidate)) {
        errors.push({
          code: ProblemCode.CONFLICTING_VALUES,
          message: `${describe(candidate)} differs between instances: ${summary(existing)} versus ${summary(candidate)}`,
          file: part.instance.file,
        });
      }
    }
  }

  return {
    patient,
    study,
    instances: unique.map((part) => part.instance),
    measurements: measurements.sort(
      (a, b) => regionOrder(a.region) - regionOrder(b.region) || sideOrder(a.side) - sideOrder(b.side),
    ),
    sideDifferences: dedupe(unique.flatMap((part) => part.sideDifferences), (d) => `${d.region}|${d.bmd}|${d.tScore}|${d.zScore}`),
    vfa: mergeVfa(unique, errors),
    ...mergeFrax(unique, errors),
    errors: dedupe(errors, (error) => `${error.code}|${error.message}`),
    ...withScannerContext(unique, patient, unique.flatMap((part) => part.warnings)),
  };
}

/** The order instances are merged in, which decides whose value comes first: instance number, then SOP instance UID, then file. */
export function instanceOrder(a: Pick<Instance, 'instanceNumber' | 'sopInstanceUid' | 'file'>, b: Pick<Instance, 'instanceNumber' | 'sopInstanceUid' | 'file'>): number {
  return (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity) || compareText(a.sopInstanceUid, b.sopInstanceUid) || compareText(a.file, b.file);
}

const SCANNER_FIELDS = ['manufacturer', 'model', 'deviceSerialNumber', 'softwareVersion', 'referenceDatabase', 'vendorCategory'] as const;
const NO_SCANNER = Object.fromEntries(SCANNER_FIELDS.map((field) => [field, null])) as Pick<Study, (typeof SCANNER_FIELDS)[number]>;

// Hologic writes these on every scan's page, each for that scan: a spine and a hip page may name
// other reference populations and other WHO classes without any conflict.
const PER_SCAN_FIELDS = ['referenceDatabase', 'vendorCategory'] as const;

function perScanFields(parts: InstanceExtraction[]): Pick<Study, (typeof PER_SCAN_FIELDS)[number]> {
  const given = (field: (typeof PER_SCAN_FIELDS)[number]): string[] => [...new Set(parts.map((part) => part.study[field]).filter((value) => value !== null))];
  const databases = given('referenceDatabase');
  return {
    referenceDatabase: databases.length === 0 ? null : databases.join(' | '),
    vendorCategory: studyVendorCategory(given('vendorCategory')),
  };
}

function pickScanner(study: Study): Pick<Study, (typeof SCANNER_FIELDS)[number]> {
  return Object.fromEntries(SCANNER_FIELDS.map((field) => [field, study[field]])) as Pick<Study, (typeof SCANNER_FIELDS)[number]>;
}

function mergeVfa(parts: InstanceExtraction[], errors: Problem[]): VfaVertebra[] {
  const byLevel = new Map<string, VfaVertebra>();
  for (const part of parts) {
    for (const vertebra of part.vfa) {
      const existing = byLevel.get(vertebra.level);
      if (!existing) byLevel.set(vertebra.level, vertebra);
      else if (JSON.stringify(existing) !== JSON.stringify(vertebra)) {
        errors.push({
          code: ProblemCode.CONFLICTING_VALUES,
          message: `VFA of ${vertebra.level} differs between instances`,
          file: part.instance.file,
        });
      }
    }
  }
  return [...byLevel.values()].sort((a, b) => VFA_LEVELS.indexOf(a.level) - VFA_LEVELS.indexOf(b.level));
}

/** One FRAX per study: the instances that carry one must agree; a second, different one is a conflict. */
function mergeFrax(parts: InstanceExtraction[], errors: Problem[]): { frax?: ScannerFrax } {
  let merged: { frax: ScannerFrax; file: string } | null = null;
  for (const part of parts) {
    if (part.frax === undefined) continue;
    if (!merged) merged = { frax: part.frax, file: part.instance.file };
    else if (JSON.stringify(merged.frax) !== JSON.stringify(part.frax)) {
      errors.push({
        code: ProblemCode.CONFLICTING_VALUES,
        message: `the scanner's FRAX differs between instances (${merged.file}, ${part.instance.file})`,
        file: part.instance.file,
      });
    }
  }
  return merged ? { frax: merged.frax } : {};
}

/** Field by field: the first non-null value wins; a second, different non-null value is a conflict. */
function mergeFields<T extends object>(values: T[], what: string, errors: Problem[], lenient: (keyof T)[] = []): T {
  const merged = { ...values[0] } as T;
  for (const value of values.slice(1)) {
    for (const key of Object.keys(value) as (keyof T)[]) {
      const current = merged[key];
      const next = value[key];
      if (next === null || next === undefined) continue;
      if (current === null || current === undefined) merged[key] = next;
      else if (JSON.stringify(current) !== JSON.stringify(next) && !lenient.includes(key)) {
        errors.push({
          code: ProblemCode.CONFLICTING_HEADER,
          message: `${what} ${String(key)} differs between instances: ${shortInput(JSON.stringify(current))} versus ${shortInput(JSON.stringify(next))}`,
        });
      }
    }
  }
  return merged;
}

function contentFingerprint(part: InstanceExtraction): string {
  const { instance: _instance, warnings: _warnings, ...content } = part;
  return JSON.stringify(content);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dedupe<T>(values: T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => !seen.has(key(value)) && Boolean(seen.add(key(value))));
}

function describe(m: Measurement): string {
  return `${m.region}${m.side ? ` ${m.side}` : ''} (${m.source.scan}: ${m.source.roi})`;
}

function summary(m: Measurement): string {
  return `BMD ${m.bmd ?? '–'}, T ${m.tScore ?? '–'}, Z ${m.zScore ?? '–'}`;
}

/**
 * The scanner's clinical context for the study (Hologic PatInfo), its status judged once with the
 * merged patient's sex and the age the export's own dates give (clinical/scanner-menopause.ts). The instances that read PatInfo must agree
 * on the age at menopause; when they do not, no status comes from the scanner and a warning says
 * so. A warning and not an error as for a measurement: the disagreement costs the study only a
 * context value, which a sidecar or the review page can give, and without it the status is
 * unknown, which holds the letters for a person (MENOPAUSE_UNKNOWN).
 */
function withScannerContext(parts: InstanceExtraction[], patient: Patient, warnings: Problem[]): { scannerContext?: StudyScannerContext; warnings: Problem[] } {
  const [head, ...rest] = parts.filter((part) => part.scannerContext !== undefined);
  const first = head?.scannerContext;
  if (head === undefined || first === undefined) return { warnings };
  const other = rest.find((part) => JSON.stringify(part.scannerContext) !== JSON.stringify(first));
  if (other) {
    const said = ({ scannerContext: given, instance }: InstanceExtraction) => `${given?.menopauseAge ?? 'none'} (born ${given?.birthDate}, scanned ${given?.scanDate}) in ${instance.file}`;
    const message = `instances differ on the scanner's MenopauseAge or the dates beside it: ${said(head)} versus ${said(other)}; no menopausal status taken from the scanner`;
    return { warnings: [...warnings, { code: ProblemCode.SCANNER_MENOPAUSE_NOT_USED, message, file: other.instance.file }] };
  }
  if (first.menopauseAge === null) return { warnings };
  const ageAtScan = ageInYears(first.birthDate, first.scanDate);
  const { status, problem } = menopauseFromScanner(first.menopauseAge, ageAtScan, patient.sex);
  return {
    scannerContext: { menopauseAge: first.menopauseAge, ageAtScan, menopausalStatus: status },
    warnings: problem ? [...warnings, problem] : warnings,
  };
}
