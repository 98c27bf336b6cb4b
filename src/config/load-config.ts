import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatIssues } from '../model/format-issues.ts';
import { DepartmentConfigSchema, type DepartmentConfig } from './config-schema.ts';
import { DEFAULT_CONFIG } from './default-config.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadedConfig {
  config: DepartmentConfig;
  /** the file it came from, or null for the embedded defaults */
  file: string | null;
}

/**
 * The department configuration: a YAML (or JSON) file laid over the embedded defaults, so a
 * file need only hold what differs. Paths in it are made absolute against its own folder.
 */
export async function loadConfig(file: string | null): Promise<LoadedConfig> {
  if (file === null) return { config: DEFAULT_CONFIG, file: null };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot be read (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${file}: must be a mapping of settings`);
  const parsed = DepartmentConfigSchema.safeParse(overlay(DEFAULT_CONFIG, raw));
  if (!parsed.success) throw new ConfigError(`${file}: ${formatIssues(parsed.error)}`);
  const base = dirname(resolve(file));
  const absolute = (path: string | null) => (path === null || isAbsolute(path) ? path : resolve(base, path));
  const config = parsed.data;
  return {
    config: { ...config, department: { ...config.department, logo: absolute(config.department.logo) }, templatesDir: absolute(config.templatesDir) },
    file,
  };
}

/** Mappings merge key by key; anything else in the file replaces the default. */
export function overlay(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = overlay(base[key], value);
  return merged;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
