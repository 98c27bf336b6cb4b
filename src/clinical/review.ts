import { ALWAYS_HOLDING, type Flag, type FlagCode } from '../model/flags.ts';
import type { ClinicalSettings } from './settings.ts';

/** Clinical-rules §8: the flags that hold a study's letters for review, each code once. Letters go out only when there are none. */
export function holdingFlags(flags: Flag[], settings: ClinicalSettings): FlagCode[] {
  const holding = new Set(settings.holdingFlags);
  return [...new Set(flags.map((f) => f.code).filter((code) => holding.has(code) || ALWAYS_HOLDING.has(code)))];
}
