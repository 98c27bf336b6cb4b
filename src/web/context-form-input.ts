import { unprintableText } from '../fonts/font-runs.ts';
import { hasControlCharacters } from '../model/control-characters.ts';
import {
  EnteredContextSchema,
  FRACTURE_SITES,
  MenopausalStatusSchema,
  type ClinicalContext,
  type ContextProvenance,
  type EnteredContext,
  type FractureHistory,
  type GpAddressee,
} from '../model/clinical-context.ts';
import { field, fields } from './http-security.ts';

/** What the context form sends, as typed text: what a refused form shows again. */
export interface ContextFormValues {
  menopausalStatus: string;
  fractures: { site: string; date: string; age: string; energy: string; note: string }[];
  gp: { name: string; practice: string; address: string; agb: string };
  reason: string;
}

/** A problem with the form, as a words key (`context.problems.<key>`) and what it is about. */
export interface FormProblem {
  key: string;
  /** the fracture row (1, 2, …) or the address line it concerns */
  row?: number;
  /** what the words quote: the characters no font prints, or the schema's own message */
  detail?: string;
}

export type ContextFormResult = { ok: true; entry: EnteredContext; reason: string } | { ok: false; problems: FormProblem[] };

export const ENERGIES = ['low', 'high', 'unknown'] as const;
const MAX_ADDRESS_LINES = 6;

/** The form's fields as text, every fracture row in order (the four row fields come once per row). */
export function readContextForm(body: unknown): ContextFormValues {
  const sites = fields(body, 'fractureSite');
  const dates = fields(body, 'fractureDate');
  const ages = fields(body, 'fractureAge');
  const energies = fields(body, 'fractureEnergy');
  const notes = fields(body, 'fractureNote');
  const rows = Math.max(sites.length, dates.length, ages.length, energies.length);
  return {
    menopausalStatus: field(body, 'menopausalStatus'),
    fractures: Array.from({ length: rows }, (_, i) => ({ site: sites[i] ?? '', date: (dates[i] ?? '').trim(), age: (ages[i] ?? '').trim(), energy: energies[i] ?? '', note: notes[i] ?? '' })),
    gp: { name: field(body, 'gpName'), practice: field(body, 'gpPractice'), address: field(body, 'gpAddress'), agb: field(body, 'gpAgb') },
    reason: field(body, 'reason').trim(),
  };
}

/**
 * The entry a form makes: a field goes into it when it was entered before (it stays entered) or
 * when the form changes its current value; a field the form leaves as the sidecar (or the
 * export) has it stays theirs. Checked by the sidecars' own schema; every problem is said.
 */
export function enteredFromForm(values: ContextFormValues, current: { context: Pick<ClinicalContext, 'menopausalStatus' | 'fractureHistory' | 'gp'>; provenance: ContextProvenance }): ContextFormResult {
  const problems: FormProblem[] = [];
  const entry: EnteredContext = {};
  const reason = values.reason;
  if (reason.length < 3) problems.push({ key: 'reasonNeeded' });
  else if (reason.length > 500 || hasControlCharacters(reason)) problems.push({ key: 'reasonInvalid' });

  const status = MenopausalStatusSchema.safeParse(values.menopausalStatus);
  if (!status.success) problems.push({ key: 'menopausalStatus' });
  else if (current.provenance.menopausalStatus?.source === 'entered' || status.data !== current.context.menopausalStatus) entry.menopausalStatus = status.data;

  const fractures = readFractures(values.fractures, problems);
  if (fractures !== null && (current.provenance.fractureHistory?.source === 'entered' || canonical(fractures) !== canonical(current.context.fractureHistory))) entry.fractureHistory = fractures;

  const gp = readGp(values.gp, problems);
  if (gp !== null && (current.provenance.gp?.source === 'entered' || canonical(gp) !== canonical(current.context.gp ?? null))) entry.gp = gp;

  if (problems.length > 0) return { ok: false, problems };
  const checked = EnteredContextSchema.safeParse(entry);
  if (!checked.success) return { ok: false, problems: checked.error.issues.map((issue) => ({ key: 'schema', detail: `${issue.path.join('.')}: ${issue.message}` })) };
  if (Object.keys(checked.data).length === 0) return { ok: false, problems: [{ key: 'nothingChanged' }] };
  return { ok: true, entry: checked.data, reason };
}

function readFractures(rows: ContextFormValues['fractures'], problems: FormProblem[]): FractureHistory[] | null {
  const fractures: FractureHistory[] = [];
  let bad = false;
  rows.forEach((row, index) => {
    const number = index + 1;
    if (row.site === '' && row.date === '' && row.age === '') return; // an empty row
    const fail = (key: string) => {
      problems.push({ key, row: number });
      bad = true;
    };
    const site = FRACTURE_SITES.find((known) => known === row.site);
    const energy = ENERGIES.find((known) => known === row.energy);
    if (site === undefined) fail('fractureSite');
    if (energy === undefined) fail('fractureEnergy');
    if (row.date === '' && row.age === '') fail('fractureWhen');
    if (row.date !== '' && !validDate(row.date)) fail('fractureDate');
    if (row.age !== '' && !/^\d{1,3}$/.test(row.age)) fail('fractureAge');
    else if (row.age !== '' && Number(row.age) > 130) fail('fractureAge');
    if (row.note.length > 500 || hasControlCharacters(row.note)) fail('fractureNote');
    if (site === undefined || energy === undefined) return;
    fractures.push({
      site,
      ...(row.date === '' ? {} : { date: row.date }),
      ...(row.age === '' ? {} : { ageAtFracture: Number(row.age) }),
      energy,
      ...(row.note.trim() === '' ? {} : { note: row.note.trim() }),
    });
  });
  if (fractures.length > 20) {
    problems.push({ key: 'tooManyFractures' });
    return null;
  }
  return bad ? null : fractures;
}

function readGp(values: ContextFormValues['gp'], problems: FormProblem[]): GpAddressee | null {
  const name = values.name.trim();
  const practice = values.practice.trim();
  const agb = values.agb.trim();
  const address = values.address.split(/\r\n|\r|\n/).map((line) => line.trim()).filter(Boolean);
  if (name === '' && practice === '' && agb === '' && address.length === 0) return null;
  const before = problems.length;
  if (name === '') problems.push({ key: 'gpName' });
  if (agb !== '' && !/^\d{8}$/.test(agb)) problems.push({ key: 'gpAgb' });
  if (address.length > MAX_ADDRESS_LINES) problems.push({ key: 'gpAddressLines' });
  const printed: [string, string][] = [['gpName', name], ['gpPractice', practice], ...address.map((line): [string, string] => ['gpAddress', line])];
  for (const [key, text] of printed) {
    if (text.length > 200) problems.push({ key: 'tooLong', detail: key });
    // what the letters cannot print is refused here, as a sidecar's GP would hold the letters
    const unprintable = hasControlCharacters(text) ? ['control'] : unprintableText(text);
    if (unprintable.length > 0) problems.push({ key: 'unprintable', detail: key });
  }
  if (problems.length > before) return null;
  return { name, ...(practice === '' ? {} : { practice }), address, ...(agb === '' ? {} : { agb }) };
}

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The same value, written the same way: keys sorted, defaults applied. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}
