import type { ClinicalContext, ContextEntry, ContextProvenance, GpAddressee, MenopausalStatus } from '../model/clinical-context.ts';
import type { PersonName } from '../model/study.ts';
import { givenFields, type StudyContext } from './load-context.ts';

export interface MergedContext {
  context: ClinicalContext;
  provenance: ContextProvenance;
}

type Provenance<T> = { source: 'scanner' | 'sidecar' | 'entered'; file?: string; overruled?: { source: 'scanner' | 'sidecar' | 'entered'; file?: string; value: T } };

/**
 * The context a study is classified with: what the sidecar says, each field the latest entry
 * from the review page gives replacing it (menopausal status, the fracture history as a whole,
 * the GP addressee), and for every value where it came from. When an entry (or a sidecar's GP,
 * over the export's referring physician) replaces a different value, the value it overruled is
 * kept beside it: a sidecar and the page never disagree silently.
 *
 * The export's own values are the lowest source: its referring physician for the GP, and the
 * menopausal status its age at menopause gives (`scannerStatus`, judged at the merge). A sidecar
 * that gives the status, even as unknown, overrules the scanner's; an entry overrules both.
 */
export function mergeEnteredContext(
  found: Pick<StudyContext, 'context' | 'chosen'>,
  entry: ContextEntry | null,
  referringPhysician: PersonName | null | undefined,
  scannerStatus: MenopausalStatus | null = null,
): MergedContext {
  const sidecar = found.context;
  const given = found.chosen ? givenFields(found.chosen) : [];
  const file = found.chosen?.file;
  const fromSidecar = <T>(value: T): { value: T; provenance: Provenance<T> } => ({ value, provenance: { source: 'sidecar', ...(file === undefined ? {} : { file }) } });
  const entered = entry?.context;
  const provenance: ContextProvenance = {};
  if (entry) provenance.entry = { enteredBy: entry.enteredBy, enteredAt: entry.enteredAt, reason: entry.reason };

  const statusFromScanner = scannerStatus === null ? null : { value: scannerStatus, provenance: { source: 'scanner' } as Provenance<MenopausalStatus> };
  let lowerStatus = statusFromScanner;
  if (given.includes('menopausalStatus')) {
    const overScanner = fromSidecar(sidecar.menopausalStatus);
    lowerStatus = { value: sidecar.menopausalStatus, provenance: overruling(overScanner.provenance, statusFromScanner, sidecar.menopausalStatus) };
  }
  const status = pick(entered?.menopausalStatus, lowerStatus);
  if (status.provenance) provenance.menopausalStatus = status.provenance;
  const fractures = pick(entered?.fractureHistory, given.includes('fractureHistory') ? fromSidecar(sidecar.fractureHistory) : null);
  if (fractures.provenance) provenance.fractureHistory = fractures.provenance;

  const scanner = referringPhysician ? scannerAddressee(referringPhysician) : null;
  const fromScanner = scanner ? { value: scanner, provenance: { source: 'scanner' } as Provenance<GpAddressee> } : null;
  let lowerGp = fromScanner;
  if (sidecar.gp !== undefined) {
    const overSidecar = fromSidecar(sidecar.gp);
    lowerGp = { value: sidecar.gp, provenance: overruling(overSidecar.provenance, fromScanner, sidecar.gp) };
  }
  const gp = pick(entered?.gp, lowerGp);
  if (gp.provenance) provenance.gp = gp.provenance;

  const context: ClinicalContext = {
    ...sidecar,
    menopausalStatus: status.value ?? sidecar.menopausalStatus,
    fractureHistory: fractures.value ?? sidecar.fractureHistory,
  };
  // the export's own referring physician is not a context value: the letter finds it in the header
  const gpValue = gp.provenance?.source === 'scanner' ? undefined : gp.value;
  if (gpValue === undefined) delete context.gp;
  else context.gp = gpValue;
  return { context, provenance };
}

/** The entered value when there is one (saying what it overruled), else what was there before. */
function pick<T>(entered: T | undefined, before: { value: T; provenance: Provenance<T> } | null): { value: T | undefined; provenance: Provenance<T> | undefined } {
  if (entered === undefined) return { value: before?.value, provenance: before?.provenance };
  return { value: entered, provenance: overruling({ source: 'entered' }, before, entered) };
}

function overruling<T>(provenance: Provenance<T>, before: { value: T; provenance: Provenance<T> } | null, value: T): Provenance<T> {
  if (before === null || same(before.value, value)) return provenance;
  const { source, file } = before.provenance;
  return { ...provenance, overruled: { source, ...(file === undefined ? {} : { file }), value: before.value } };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The export's ReferringPhysicianName as a GP addressee: the name as written, no address. */
function scannerAddressee(name: PersonName): GpAddressee {
  return { name: [name.given, name.middle, name.prefix, name.family].map((part) => part.trim()).filter(Boolean).join(' '), address: [] };
}
