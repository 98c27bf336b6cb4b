import type { Command } from 'commander';

export interface ServicePaths {
  inbox: string;
  out: string;
  db: string;
}

/** The folders and store every service command shares, with their defaults. */
export function withServicePaths(command: Command): Command {
  return command
    .option('--inbox <dir>', 'folder the scanner exports into', 'inbox')
    .option('--out <dir>', 'folder for archive, quarantine, letters and review', 'out')
    .option('--db <file|url>', "the study store: a SQLite file, or a postgres:// URL (default the configuration's store.url, else data/dexa.db)", 'data/dexa.db');
}
