import type { DepartmentConfig } from '../config/config-schema.ts';
import { inLanguage } from '../config/localized-text.ts';
import { buildLetterView } from '../letters/letter-view.ts';
import type { Templates } from '../letters/load-templates.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';

/** What a result message is made from: one version of a study, its letters, and the department's setup. */
export interface ResultInput {
  study: AssessedStudy;
  /** the stored version (1, 2, …); a later version corrects the earlier ones */
  version: number;
  /** true while the letters are held for review: the result goes out as preliminary, never as final */
  held: boolean;
  config: DepartmentConfig;
  /** the letter templates: the conclusion and the NHG statement are the GP letter's own sentences */
  templates: Templates;
  letters: { gp: Buffer | null; patient: Buffer | null };
  /** the GP letter's text as its PDF reads (letterText), lines kept; null without a GP letter */
  gpLetterText: string | null;
}

export type ResultStatus = 'final' | 'corrected' | 'preliminary';

/** Held: preliminary; the first version: final; a later one: corrected (amended). */
export function resultStatus(input: Pick<ResultInput, 'version' | 'held'>): ResultStatus {
  if (input.held) return 'preliminary';
  return input.version > 1 ? 'corrected' : 'final';
}

/** The text of a letter PDF, page after page, one line per printed line: what a reader copying it would get. */
export async function letterText(pdf: Uint8Array): Promise<string> {
  const { extractPdfText } = await import('../letters/pdf-text.ts'); // pdf.js: only where a result carries the text
  return (await extractPdfText(pdf)).join('\n\n');
}

/** The GP letter's conclusion (its diagnosis sentence) and NHG statement, in the templates' language. */
export function conclusionOf(input: Pick<ResultInput, 'study' | 'config' | 'templates'>): { conclusion: string; nhg: string | null } {
  const { study, config, templates } = input;
  const view = buildLetterView(study, config, templates, study.study.studyDate ?? '1970-01-01');
  const t = (key: string) => templates.text('gp', key, view);
  const c = study.classification;
  const sentences = [t(`diagnosis.${c.category ?? 'none'}`), ...(c.path !== 'T' && c.category !== null ? [t('diagnosis.zScoresUsed')] : [])];
  return { conclusion: sentences.join(' '), nhg: c.nhgBinary === null ? null : t(`nhg.${c.nhgBinary}`) };
}

/** The department as the letters name it, in the templates' language: `Hospital, Department`. */
export function departmentName(config: DepartmentConfig, templates: Templates): string {
  const local = (value: Parameters<typeof inLanguage>[0]) => inLanguage(value, templates.language, config.language);
  return `${local(config.department.hospital)}, ${local(config.department.name)}`;
}
