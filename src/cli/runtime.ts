import type { Language } from '../config/config-schema.ts';
import { ConfigError, loadConfig, type LoadedConfig } from '../config/load-config.ts';
import { BUILT_IN_TEMPLATES, loadTemplates, TemplateError, type Templates } from '../letters/load-templates.ts';
import { ExitCode } from './exit-codes.ts';
import { configPath } from './service-setup.ts';
import { printProblem } from './output.ts';

export interface Runtime extends LoadedConfig {
  templates: Templates;
}


/**
 * Configuration and templates, both checked before anything is written. A problem is printed as
 * `dexa: <file>: <key>: <what>` and gives null, with the exit code set.
 */
export async function loadRuntime(options: { config?: string | null; lang?: string }): Promise<Runtime | null> {
  try {
    const loaded = await loadConfig(configPath(options.config));
    const language = (options.lang ?? loaded.config.language) as Language;
    if (language !== 'nl' && language !== 'en') throw new ConfigError(`--lang: '${language}' is not a language with templates (nl, en)`);
    const templates = await loadTemplates(language, loaded.config.templatesDir ?? BUILT_IN_TEMPLATES);
    return { ...loaded, config: { ...loaded.config, language }, templates };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof TemplateError) {
      for (const line of error.message.split('\n')) printProblem(line);
      process.exitCode = ExitCode.BadInput;
      return null;
    }
    throw error;
  }
}
