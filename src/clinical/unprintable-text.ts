import type { ClinicalContext } from '../model/clinical-context.ts';
import type { ExtractedStudy } from '../model/study.ts';
import { flag, type Flag } from '../model/flags.ts';
import { fraxPlainText } from '../model/frax.ts';

/** The grapheme clusters of a text that no letter font can draw (letters/font-runs.ts). */
export type UnprintableFinder = (text: string) => string[];

/** Nothing is unprintable: for callers that print no letter. */
export const NOTHING_UNPRINTABLE: UnprintableFinder = () => [];

/**
 * The study's header values a letter prints: the patient's name (family, given and middle names,
 * the initials come from the given and middle names; the prefix component when it holds a
 * tussenvoegsel, letters/dutch-name.ts), the patient ID, the scanner, the referring physician's
 * name and the patient's address, the scanner's FRAX risk factors or reason; and the GP a clinical context names. The birth and study dates
 * are printed from parsed dates, never from the header's text.
 */
function printedFields(study: ExtractedStudy, context: Pick<ClinicalContext, 'gp'> | null): [string, string][] {
  const fields: [string, string | null | undefined][] = [
    ['family name', study.patient.name?.family],
    ['given name', study.patient.name?.given],
    ['middle name', study.patient.name?.middle],
    ['name prefix', study.patient.name?.prefix],
    ['patient ID', study.patient.id],
    ['scanner', [study.study.manufacturer, study.study.model].filter(Boolean).join(' ')],
    ['referring physician', [study.study.referringPhysician?.family, study.study.referringPhysician?.given, study.study.referringPhysician?.middle, study.study.referringPhysician?.prefix].filter(Boolean).join(' ')],
    ['patient address', study.patient.address],
    ['GP name', context?.gp?.name],
    ['GP practice', context?.gp?.practice],
    ...(context?.gp?.address ?? []).map((line): [string, string] => ['GP address', line]),
    // the scanner's FRAX free text, as the GP letter prints it; nothing else of FRAX is read here
    ['FRAX risk factors', study.frax?.reported === true && study.frax.riskFactors !== null ? fraxPlainText(study.frax.riskFactors) : null],
    ['FRAX reason', study.frax?.reported === false ? fraxPlainText(study.frax.reason) : null],
  ];
  return fields.filter((field): field is [string, string] => typeof field[1] === 'string' && field[1] !== '');
}

const codePoints = (cluster: string) => [...cluster].map((c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

/**
 * UNPRINTABLE_TEXT when a header value the letters print has a character no letter font can
 * draw: the letter would show a box (or nothing) where the name should be. The message names the
 * field and the code points, never the value itself.
 */
export function unprintableTextFlag(study: ExtractedStudy, unprintable: UnprintableFinder, context: Pick<ClinicalContext, 'gp'> | null = null): Flag | null {
  const problems = printedFields(study, context)
    .map(([field, value]) => [field, unprintable(value)] as const)
    .filter(([, clusters]) => clusters.length > 0)
    .map(([field, clusters]) => `${field}: ${clusters.slice(0, 5).map(codePoints).join(', ')}${clusters.length > 5 ? ', …' : ''}`);
  return problems.length === 0 ? null : flag('UNPRINTABLE_TEXT', `no letter font can print ${problems.join('; ')}`);
}
