import { readFile } from 'node:fs/promises';
import { isLocalizedMapping } from './localized-text.ts';
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
  const logo = absolute(config.department.logo);
  if (logo !== null) await checkLogo(file, logo);
  return {
    config: {
      ...config,
      department: { ...config.department, logo },
      templatesDir: absolute(config.templatesDir),
      dicom: { ...config.dicom, tls: config.dicom.tls && { ...config.dicom.tls, key: absolute(config.dicom.tls.key) ?? config.dicom.tls.key, cert: absolute(config.dicom.tls.cert) ?? config.dicom.tls.cert, ca: absolute(config.dicom.tls.ca) } },
      deliveries: { ...config.deliveries, destinations: config.deliveries.destinations.map((d) => (d.kind === undefined || d.kind === 'folder' ? { ...d, folder: absolute(d.folder) ?? d.folder } : d)) },
    },
    file,
  };
}

/** pdfkit draws PNG and JPEG; anything else would fail in the middle of a letter, so it fails here. */
async function checkLogo(file: string, logo: string): Promise<void> {
  const head = await readFile(logo).then((bytes) => bytes.subarray(0, 8), () => null);
  if (head === null) throw new ConfigError(`${file}: department.logo: cannot read ${logo}`);
  const png = head.toString('latin1', 1, 4) === 'PNG';
  const jpeg = head[0] === 0xff && head[1] === 0xd8;
  if (!png && !jpeg) throw new ConfigError(`${file}: department.logo: ${logo} is not a PNG or JPEG image`);
}

/**
 * Mappings merge key by key; anything else in the file replaces the default. A text given per
 * language replaces the default's whole: the example hospital's English never fills a gap.
 */
export function overlay(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over) || isLocalizedMapping(over)) return over === undefined ? base : over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = overlay(base[key], value);
  return merged;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
