import { dirname } from 'node:path';
import type { Language } from '../config/config-schema.ts';
import { loadTemplates, type Templates } from '../letters/load-templates.ts';
import type { WebContext } from './web-context.ts';

const loaded = new Map<string, Promise<Templates>>();

/**
 * The letters' own words (regions, sides, categories, Genant grades, flag caveats) in the page's
 * language: the department's templates when they are in that language, else the same template
 * folder's other language, read once; the department's templates when that folder has none.
 */
export async function letterWords(ctx: WebContext, language: Language): Promise<Templates> {
  if (ctx.templates.language === language) return ctx.templates;
  const root = dirname(ctx.templates.folder);
  const key = `${root}\0${language}`;
  let words = loaded.get(key);
  if (words === undefined) {
    words = loadTemplates(language, root).catch(() => ctx.templates);
    loaded.set(key, words);
  }
  return words;
}
