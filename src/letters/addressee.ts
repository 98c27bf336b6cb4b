/**
 * The address blocks at the top left of the letters: the GP letter goes to the referring physician
 * (ReferringPhysicianName), with the practice address from the department's table when it knows
 * one; the patient letter goes to the patient, at the address in the export when it has one.
 */
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { PersonName } from '../model/study.ts';
import { nameItems, parseDutchName, parseDutchPn, runningName, surname } from './dutch-name.ts';
import type { LetterView } from './letter-view.ts';
import type { Templates } from './load-templates.ts';

type Entry = DepartmentConfig['referringPhysicians'][number];

const fold = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, '').replace(/\^+$/, '');

/** The department's entry for a referring physician: by code (one component of the name), else by name as exported or as written (case and spaces ignored). */
export function findReferringPhysician(name: PersonName, entries: readonly Entry[]): Entry | null {
  const components = [name.family, name.given, name.middle, name.prefix, name.suffix].map((part) => part.trim()).filter(Boolean);
  const byCode = entries.find((entry) => entry.code !== null && components.includes(entry.code.trim()));
  if (byCode) return byCode;
  const exported = fold([name.family, name.given, name.middle, name.prefix, name.suffix].join('^'));
  const written = fold(runningName(parseDutchName(name)));
  // an entry in PN form is compared as written too: `Berg^J.^^van den` finds `VAN DEN BERG^J.`
  const matches = (entryName: string) =>
    fold(entryName) === exported || fold(entryName) === written || (entryName.includes('^') && fold(runningName(parseDutchPn(entryName))) === written);
  return entries.find((entry) => entry.name !== null && matches(entry.name)) ?? null;
}

/**
 * `P. Bakker, huisarts` and the practice address: the GP the clinical context names (a sidecar or
 * the review page), else the referring physician with the address from the department's table;
 * empty when neither is known (NO_ADDRESSEE holds the study).
 */
export function gpAddressee(study: AssessedStudy, view: LetterView, config: DepartmentConfig, templates: Templates): string[] {
  const given = study.context.gp;
  if (given !== undefined) {
    return [templates.text('common', 'addressee.gp', view, { ...nameItems(null), name: given.name, family: given.name, familyCapitalised: given.name }), ...(given.practice === undefined ? [] : [given.practice]), ...given.address];
  }
  const physician = study.study.referringPhysician;
  if (!physician) return [];
  const name = parseDutchName(physician);
  const entry = findReferringPhysician(physician, config.referringPhysicians);
  return [templates.text('common', 'addressee.gp', view, nameItems(name)), ...(entry?.address ?? [])];
}

/** `Mevrouw M. Jansen` and the address from the export; empty when the export has no address. */
export function patientAddressee(study: AssessedStudy, view: LetterView, templates: Templates): string[] {
  const lines = addressLines(study.patient.address ?? null);
  if (lines.length === 0) return [];
  const name = study.patient.name ? parseDutchName(study.patient.name) : null;
  const sex = (study.patient.sex === 'female' || study.patient.sex === 'male') && name && surname(name) ? study.patient.sex : 'unknown';
  const addressed = templates.text('common', `addressee.patient.${sex}`, view, nameItems(name));
  return addressed ? [addressed, ...lines] : lines;
}

/**
 * PatientAddress (LO, one line) as address lines. RIS systems write it as HL7 XAD components
 * (`street^other^city^state^postcode^country`), or as text with commas or semicolons:
 * `Dorpsstraat 12^^Voorbeeldstad^^1234 AB^NL` and `Dorpsstraat 12, 1234 AB Voorbeeldstad` both give
 * `Dorpsstraat 12` / `1234 AB Voorbeeldstad`. A Dutch country is not written.
 */
export function addressLines(raw: string | null): string[] {
  if (raw === null) return [];
  const clean = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  if (raw.includes('^')) {
    const [street, other, city, state, postcode, country] = raw.split('^').map(clean);
    const place = [postcode, city].filter(Boolean).join('  ');
    const foreign = country && !/^(nl|nld|nederland|the netherlands|netherlands)$/i.test(country) ? country : '';
    return [street, other, [place, state].filter(Boolean).join(' '), foreign].filter((line): line is string => Boolean(line));
  }
  return raw.split(/[,;\r\n]+/).map(clean).filter(Boolean);
}
