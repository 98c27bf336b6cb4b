import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { parse as parseYaml } from 'yaml';
import type { Language } from '../config/config-schema.ts';
import { LIST_KEYS, TEMPLATE_FILES, TEMPLATE_SPEC, VIEW_NAMES, type TemplateFile } from './template-spec.ts';

export const BUILT_IN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export interface Templates {
  language: Language;
  folder: string;
  /** SHA-256 of the template files' text: the same fingerprint, the same sentences */
  fingerprint: string;
  /** one template by file and key, rendered against a view; `item` holds the key's own names */
  text(file: TemplateFile, key: string, view: object, item?: Record<string, unknown>): string;
  list(file: TemplateFile, key: string): string[];
}

/**
 * Reads `<root>/<language>/{common,gp,patient}.yaml` and checks every key against the template
 * table: present, no unknown ones, valid Mustache, and only names the key may use. All problems
 * are reported at once, each naming its file and key.
 */
export async function loadTemplates(language: Language, root: string = BUILT_IN_TEMPLATES): Promise<Templates> {
  const folder = join(root, language);
  const problems: string[] = [];
  const parsed = {} as Record<TemplateFile, Map<string, unknown>>;
  const hash = createHash('sha256');
  for (const file of TEMPLATE_FILES) {
    const path = join(folder, `${file}.yaml`);
    parsed[file] = new Map();
    let document: unknown;
    try {
      const source = await readFile(path, 'utf8');
      hash.update(`${file}\0${source}\0`);
      document = parseYaml(source);
    } catch (error) {
      problems.push(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `not valid YAML (${(error as Error).message.split('\n')[0]})`}`);
      continue;
    }
    flatten(document, '', parsed[file]);
    problems.push(...checkFile(file, path, parsed[file]));
  }
  if (problems.length > 0) throw new TemplateError(problems);

  const escape = (value: string) => value;
  const fingerprint = hash.digest('hex');
  return {
    language,
    folder,
    fingerprint,
    text(file, key, view, item) {
      const template = parsed[file].get(key);
      if (typeof template !== 'string') throw new Error(`no template ${file}.${key}`);
      return Mustache.render(template, item ? { ...view, item } : view, {}, { escape }).trim();
    },
    list(file, key) {
      return (parsed[file].get(key) as unknown[]).map(String);
    },
  };
}

function checkFile(file: TemplateFile, path: string, values: Map<string, unknown>): string[] {
  const problems: string[] = [];
  const spec = TEMPLATE_SPEC[file];
  const lists = LIST_KEYS[file] ?? {};
  for (const key of [...Object.keys(spec), ...Object.keys(lists)]) {
    if (!values.has(key)) problems.push(`${path}: key '${key}' is missing`);
  }
  for (const [key, value] of values) {
    if (key in lists) {
      if (!Array.isArray(value) || value.length !== lists[key] || value.some((entry) => typeof entry !== 'string' && typeof entry !== 'number')) {
        problems.push(`${path}: key '${key}' must be a list of ${lists[key]} words`);
      }
      continue;
    }
    const itemNames = spec[key];
    if (itemNames === undefined) {
      problems.push(`${path}: key '${key}' is not a template this letter uses`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(`${path}: key '${key}' must be a text`);
      continue;
    }
    problems.push(...checkTemplate(String(value), new Set([...VIEW_NAMES, ...itemNames])).map((problem) => `${path}: key '${key}': ${problem}`));
  }
  return problems;
}

function checkTemplate(template: string, allowed: Set<string>): string[] {
  let tokens: unknown[];
  try {
    tokens = Mustache.parse(template);
  } catch (error) {
    return [`template syntax error (${(error as Error).message})`];
  }
  const problems: string[] = [];
  const visit = (list: unknown[]) => {
    for (const token of list as [string, string, number, number, unknown[]?][]) {
      const [type, name] = token;
      if (type === 'text') continue;
      if (!['name', '&', '#', '^'].includes(type)) problems.push(`'{{${type}${name}}}' is not supported; use {{name}} and {{#name}}…{{/name}} only`);
      else if (!allowed.has(name)) problems.push(`unknown name '{{${name}}}'`);
      if (Array.isArray(token[4])) visit(token[4]);
    }
  };
  visit(tokens);
  return problems;
}

function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, value);
  }
}
