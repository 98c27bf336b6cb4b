import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig, Language } from '../../src/config/config-schema.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { assessWithPriors, studiesBesidePriors } from '../../src/ingest/prior-studies.ts';
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
  const own = studiesBesidePriors(assessed, join(FIXTURES, folder));
  if (own.length !== 1) throw new Error(`fixture ${prefix}: ${own.length} studies beside priors/`);
  return own[0]!;
}

export interface LetterText {
  letter: RenderedLetter;
  pages: string[];
  /** the whole text, line breaks folded into spaces: phrases match wherever the layout wraps them */
  text: string;
}

type FixtureLetters = Record<'gp' | 'patient', LetterText>;

/** Rendered once per test file (module) for each fixture, language and configuration object: several tests read the same letters. */
const rendered = new WeakMap<DepartmentConfig, Map<string, Promise<FixtureLetters>>>();

/**
 * Both letters of a fixture study, rendered and read back from the PDF bytes. The same fixture,
 * language and configuration (the same object) give the same letters, so they are rendered once
 * per file: treat what comes back as read-only.
 */
export function lettersOf(prefix: string, language: Language = 'nl', config: DepartmentConfig = DEFAULT_CONFIG): Promise<FixtureLetters> {
  let byConfig = rendered.get(config);
  if (!byConfig) rendered.set(config, (byConfig = new Map()));
  const key = `${prefix}\u0000${language}`;
  let letters = byConfig.get(key);
  if (!letters) {
    letters = renderLettersOf(prefix, language, config);
    byConfig.set(key, letters);
    letters.catch(() => byConfig.delete(key)); // a failure is not kept: the next test tries again
  }
  return letters;
}

/** Like lettersOf, but rendered anew on every call (never shared): for what compares two renders. */
export const freshLettersOf = renderLettersOf;

async function renderLettersOf(prefix: string, language: Language = 'nl', config: DepartmentConfig = DEFAULT_CONFIG): Promise<FixtureLetters> {
  const study = await assessedFixture(prefix);
  const templates = await loadTemplates(language);
  const letters = await renderStudyLetters(study, config, templates, { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const read = async (letter: RenderedLetter) => {
    const pages = await extractPdfText(letter.pdf);
    return { letter, pages, text: pages.join('\n').replace(/\s+/g, ' ') };
  };
  return { gp: await read(letters[0]!), patient: await read(letters[1]!) };
}
