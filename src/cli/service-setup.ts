import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { withExistingStore } from './open-store.ts';
import { UserError } from './problems.ts';
import type { ServicePaths } from './service-paths.ts';

/** The configuration file a department keeps beside its inbox and store, found without being named. */
export const CONVENTIONAL_CONFIG = 'dexa.config.yaml';

/**
 * The configuration file to use: `--config` (null: the embedded defaults, as the store recorded),
 * else $DEXA_CONFIG, else ./dexa.config.yaml when there, else the embedded defaults.
 */
export function configPath(option: string | null | undefined): string | null {
  if (option !== undefined) return option;
  return process.env['DEXA_CONFIG'] ?? (existsSync(CONVENTIONAL_CONFIG) ? CONVENTIONAL_CONFIG : null);
}

/**
 * The folders and configuration a command on the store works with: what the service recorded
 * when it started, unless given on the command line, and then they must agree with it. A
 * command that names another out folder than the service's would approve letters into a folder
 * nobody collects from.
 */
export async function pathsFromStore(options: ServicePaths & { config?: string }, command: Command): Promise<ServicePaths & { config?: string | null }> {
  const setup = await withExistingStore(options.db, (store) => store.setup.current());
  if (setup === null) return options;
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  const agreed = (name: 'inbox' | 'out', recorded: string) => {
    if (!given(name)) return recorded;
    if (resolve(options[name]) !== recorded) {
      throw new UserError(`--${name} ${options[name]} is not the service's: the service on ${options.db} runs with --${name} ${recorded}; leave --${name} out`);
    }
    return options[name];
  };
  const explicitConfig = options.config ?? process.env['DEXA_CONFIG'];
  if (explicitConfig !== undefined && resolve(explicitConfig) !== setup.configFile) {
    const theirs = setup.configFile ?? 'the embedded defaults';
    throw new UserError(`--config ${explicitConfig} is not the service's: the service on ${options.db} runs with ${theirs}; leave --config out`);
  }
  return { ...options, inbox: agreed('inbox', setup.inbox), out: agreed('out', setup.out), config: setup.configFile };
}
