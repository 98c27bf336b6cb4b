import { createHash } from 'node:crypto';
import type { DepartmentConfig } from '../config/config-schema.ts';
import type { Templates } from './load-templates.ts';

/**
 * A short fingerprint of everything besides the study that decides a letter's words and looks:
 * the department configuration and the templates. A draft reviewed under one fingerprint is
 * approved under the same, or the approver is told.
 */
export function letterSetupFingerprint(config: DepartmentConfig, templates: Templates): string {
  // only what a letter shows: the watcher's timings or the file modes change no letter
  const shown = { language: templates.language, department: config.department, signature: config.signature, followUpYears: config.followUpYears, letters: config.letters };
  return createHash('sha256').update(JSON.stringify(shown)).update('\0').update(templates.fingerprint).digest('hex').slice(0, 16);
}
