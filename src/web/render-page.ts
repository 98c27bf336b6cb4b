import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import type { Language } from '../config/config-schema.ts';
import type { PageTexts } from './page-texts.ts';

const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));
const cache = new Map<string, string>();

/** A page template (src/web/pages/<name>.html), read once. */
function template(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${PAGES}${name}.html`, 'utf8');
    Mustache.parse(text);
    cache.set(name, text);
  }
  return text;
}

export interface PageFrame {
  language: Language;
  texts: PageTexts;
  basePath: string;
  /** the logged-in user, or null on the login page */
  user: { name: string; fullName: string; role: string; isRadioloog: boolean; isBeheerder: boolean } | null;
  csrf: string | null;
  /** which menu entry is the current page */
  current: string;
  title: string;
  /** this page's own address, for the language switch to come back to */
  here: string;
  /** a message at the top of the page (a refusal, a success) */
  notice?: { kind: 'error' | 'ok'; text: string } | null;
}

/**
 * The page inside the common frame (menu, user, language). Every value is HTML-escaped by
 * Mustache's `{{…}}`; the templates never use `{{{…}}}` for anything that came from an export (the one
 * `{{{…}}}`, the study page's score scale, is SVG our code draws, every text in it escaped).
 */
export function renderPage(name: string, frame: PageFrame, view: Record<string, unknown>): string {
  const context = {
    ...view,
    ...frame,
    t: frame.texts,
    base: frame.basePath,
    lang: frame.language,
    [`nav_${frame.current}`]: true,
  };
  return Mustache.render(template('layout'), context, (partial) => template(partial === 'content' ? name : partial));
}
