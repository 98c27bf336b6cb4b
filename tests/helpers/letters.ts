import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig, Language } from '../../src/config/config-schema.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { assessWithPriors, PRIORS_FOLDER } from '../../src/ingest/prior-studies.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { renderStudyLetters, type RenderedLetter } from '../../src/letters/render-letters.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export async function assessedFixture(prefix: string): Promise<AssessedStudy> {
  const { readdir } = await import('node:fs/promises');
  const folder = (await readdir(FIXTURES)).find((name) => name.startsWith(prefix));
  if (!folder) throw new Error(`no fixture ${prefix}`);
  const { studies } = await ingestPaths([join(FIXTURES, folder)]);
  // a fixture with a history holds its earlier studies in priors/: they are this study's priors
  const assessed = await assessWithPriors(studies, (study, priors) => assessStudy(study, undefined, undefined, undefined, priors));
  const own = assessed.filter((study) => !study.instances.some((instance) => instance.file.includes(`/${PRIORS_FOLDER}/`)));
  if (own.length !== 1) throw new Error(`fixture ${prefix}: ${own.length} studies beside ${PRIORS_FOLDER}/`);
  return own[0]!;
}

export interface LetterText {
  letter: RenderedLetter;
  pages: string[];
  /** the whole text, line breaks folded into spaces: phrases match wherever the layout wraps them */
  text: string;
}

/** Both letters of a fixture study, rendered and read back from the PDF bytes. */
export async function lettersOf(prefix: string, language: Language = 'nl', config: DepartmentConfig = DEFAULT_CONFIG): Promise<Record<'gp' | 'patient', LetterText>> {
  const study = await assessedFixture(prefix);
  const templates = await loadTemplates(language);
  const letters = await renderStudyLetters(study, config, templates, { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const read = async (letter: RenderedLetter) => {
    const pages = await extractPdfText(letter.pdf);
    return { letter, pages, text: pages.join('\n').replace(/\s+/g, ' ') };
  };
  return { gp: await read(letters[0]!), patient: await read(letters[1]!) };
}
