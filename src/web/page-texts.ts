import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Language } from '../config/config-schema.ts';

export const WEB_TEXTS = fileURLToPath(new URL('../../templates/web/', import.meta.url));

/** The workstation's words in one language: `texts.worklist.title` from `templates/web/<lang>/worklist.yaml`. */
export type PageTexts = Record<string, Record<string, unknown>>;

export class PageTextError extends Error {
  override readonly name = 'PageTextError';
}

/**
 * Reads every `<root>/<language>/*.yaml`; each file is one page's words, under its file name. The
 * English texts must have every key the Dutch ones have, and the other way round.
 */
export async function loadPageTexts(root: string = WEB_TEXTS): Promise<Record<Language, PageTexts>> {
  const nl = await readLanguage(join(root, 'nl'));
  const en = await readLanguage(join(root, 'en'));
  const missing = [...differences(nl, en, 'en'), ...differences(en, nl, 'nl')];
  if (missing.length > 0) throw new PageTextError(`web texts incomplete: ${missing.join(', ')}`);
  return { nl, en };
}

async function readLanguage(folder: string): Promise<PageTexts> {
  const texts: PageTexts = {};
  for (const name of (await readdir(folder)).filter((file) => file.endsWith('.yaml')).sort()) {
    const document = parseYaml(await readFile(join(folder, name), 'utf8')) as unknown;
    if (typeof document !== 'object' || document === null) throw new PageTextError(`${join(folder, name)}: not a mapping`);
    texts[name.slice(0, -'.yaml'.length)] = document as Record<string, unknown>;
  }
  return texts;
}

function keys(value: unknown, prefix: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

function differences(from: PageTexts, to: PageTexts, language: string): string[] {
  const present = new Set(keys(to, ''));
  return keys(from, '').filter((key) => !present.has(key)).map((key) => `${language} lacks ${key}`);
}
