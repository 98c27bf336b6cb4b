import type { LetterKind } from './letter-document.ts';

/** What identifies a letter's study in the PDF's metadata: never the patient's name or birth date. */
export interface LetterReference {
  accession: string | null;
  /** `YYYY-MM-DD` */
  studyDate: string | null;
}

const WORDING = {
  nl: { title: 'Uitslag botdichtheidsmeting (DXA)', gp: 'brief aan de huisarts', patient: 'brief aan de patiënt', study: 'onderzoek', of: 'van', keywords: ['DXA', 'botdichtheid'] },
  en: { title: 'Bone densitometry report (DXA)', gp: 'letter to the GP', patient: 'letter to the patient', study: 'study', of: 'of', keywords: ['DXA', 'bone density'] },
};

/**
 * Title, Subject and Keywords of a letter's PDF. A PDF's metadata travels further than its pages
 * (file lists, search indexes, mail previews), so it is fixed wording plus the accession number
 * and study date, and never taken from the templates, which may name the patient.
 */
export function pdfMetadata(kind: LetterKind, language: string, reference: LetterReference | undefined): { Title: string; Subject: string; Keywords: string } {
  const words = language.startsWith('nl') ? WORDING.nl : WORDING.en;
  const study = [reference?.accession ? `${words.study} ${reference.accession}` : null, reference?.studyDate ? `${words.of} ${reference.studyDate}` : null].filter(Boolean).join(' ');
  return {
    Title: `${words.title}, ${words[kind]}`,
    Subject: study ? `${words.title}, ${study}` : words.title,
    Keywords: [...words.keywords, reference?.accession, reference?.studyDate].filter(Boolean).join(', '),
  };
}
