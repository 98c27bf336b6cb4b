import { z } from 'zod';
import type { Database } from './database.ts';

/** What `dexa watch` last ran with: absolute paths, the configuration file null for the embedded defaults. */
export interface ServiceSetup {
  configFile: string | null;
  inbox: string;
  out: string;
  recordedAt: string;
}

const SetupRow = z.object({ config_file: z.string().nullable(), inbox: z.string(), out: z.string(), recorded_at: z.string() });

export function recordServiceSetup(db: Database, setup: Omit<ServiceSetup, 'recordedAt'>): void {
  db.prepare(
    `INSERT INTO service_setup (id, config_file, inbox, out, recorded_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET config_file = excluded.config_file, inbox = excluded.inbox, out = excluded.out, recorded_at = excluded.recorded_at`,
  ).run(setup.configFile, setup.inbox, setup.out, new Date().toISOString());
}

/** The recorded setup, or null when no service has run on this store yet. */
export function serviceSetup(db: Database): ServiceSetup | null {
  const row = db.prepare('SELECT config_file, inbox, out, recorded_at FROM service_setup WHERE id = 1').get();
  if (row === undefined) return null;
  const parsed = SetupRow.parse(row);
  return { configFile: parsed.config_file, inbox: parsed.inbox, out: parsed.out, recordedAt: parsed.recorded_at };
}
