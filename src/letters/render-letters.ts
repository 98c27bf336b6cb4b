import type { DepartmentConfig, Language } from '../config/config-schema.ts';
import { defaultSignOff, type SignOff } from './sign-off.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { composeGpLetter } from './compose-gp-letter.ts';
import { composePatientLetter } from './compose-patient-letter.ts';
import { letterFileName } from './file-name.ts';
import type { LetterDocument, LetterKind } from './letter-document.ts';
import { buildLetterView } from './letter-view.ts';
import type { Templates } from './load-templates.ts';
import { renderLetterPdf } from './render-pdf.ts';

export interface RenderedLetter {
  kind: LetterKind;
  language: Language;
  fileName: string;
  document: LetterDocument;
  pdf: Buffer;
  /** held letters carry a draft banner */
  held: boolean;
}

/** A rendered letter without its layout model: what crosses a thread boundary and goes to disk. */
export type LetterFile = Omit<RenderedLetter, 'document'>;

export interface LetterRequest {
  kinds: LetterKind[];
  /** the date printed on the letter, `YYYY-MM-DD` */
  letterDate: string;
  creationDate: Date;
  version?: number;
  /** overrides the study's own releasable state: an approved letter is rendered as released */
  held?: boolean;
  /** how the letter is released; by default a draft when held, else by protocol */
  signOff?: SignOff;
}

/** Both letters (or one) of a study as PDFs, named by the configured pattern. */
export async function renderStudyLetters(study: AssessedStudy, config: DepartmentConfig, templates: Templates, request: LetterRequest): Promise<RenderedLetter[]> {
  const view = buildLetterView(study, config, templates, request.letterDate);
  const signOff = request.signOff ?? defaultSignOff(request.held ?? !study.classification.releasable);
  const held = signOff.kind === 'draft';
  const letters: RenderedLetter[] = [];
  for (const kind of request.kinds) {
    const document = kind === 'gp' ? composeGpLetter(study, view, config, templates, signOff) : composePatientLetter(study, view, config, templates, signOff);
    const reference = { accession: study.study.accessionNumber, studyDate: study.study.studyDate };
    const pdf = await renderLetterPdf(document, { creationDate: request.creationDate, language: templates.language === 'nl' ? 'nl-NL' : 'en-GB', reference });
    const pattern = config.letters.fileNamePattern;
    // A re-rendered letter must not take the name of the one it replaces.
    const versioned = (request.version ?? 1) > 1 && !pattern.includes('{version}') ? `${pattern}_v{version}` : pattern;
    const fileName = letterFileName(versioned, {
      studyDate: study.study.studyDate,
      accession: study.study.accessionNumber ?? study.study.studyInstanceUid.slice(-12),
      studyUid: study.study.studyInstanceUid,
      patientId: study.patient.id,
      letter: kind,
      language: templates.language,
      version: String(request.version ?? 1),
    });
    letters.push({ kind, language: templates.language, fileName, document, pdf, held });
  }
  return letters;
}
