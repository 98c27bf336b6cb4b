import { ALWAYS_HOLDING, type Flag } from './flags.ts';
import type { ClinicalSettings } from './settings.ts';

/** Clinical-rules §8: letters are released only when no flag that holds is present. */
export function isReleasable(flags: Flag[], settings: ClinicalSettings): boolean {
  const holding = new Set(settings.holdingFlags);
  return !flags.some((f) => holding.has(f.code) || ALWAYS_HOLDING.has(f.code));
}
