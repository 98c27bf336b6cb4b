/**
 * Every flag the clinical engine can raise (clinical-rules §3, §5, §6, §8), with whether it is
 * information or asks for a human review by default. Rules emit these ids; the words a letter
 * shows for them live in the templates.
 */
export const FLAG_DEFINITIONS = {
  SPINE_SUBSET_USED: { severity: 'info', rule: '§3.1' },
  SPINE_REANALYSIS_NEEDED: { severity: 'review', rule: '§3.2' },
  SPINE_EXCLUSION_SUGGESTED: { severity: 'review', rule: '§3.3' },
  PAEDIATRIC: { severity: 'review', rule: '§4' },
  MENOPAUSE_UNKNOWN: { severity: 'review', rule: '§4' },
  BOUNDARY: { severity: 'info', rule: '§5' },
  SECONDARY_CAUSE_WORKUP: { severity: 'info', rule: '§5' },
  MILD_VERTEBRAL_FRACTURE: { severity: 'review', rule: '§6' },
  VFA_GRADE_DIFFERS: { severity: 'review', rule: '§6' },
  VENDOR_CATEGORY_DIFFERS: { severity: 'review', rule: '§8' },
  NO_DIAGNOSTIC_REGION: { severity: 'review', rule: '§8' },
  SINGLE_SITE_ONLY: { severity: 'review', rule: '§8' },
  NO_QUANTITATIVE_COMPARISON: { severity: 'review', rule: '§7, §8' },
  MISSING_SEX: { severity: 'review', rule: '§8' },
  MISSING_BIRTH_DATE: { severity: 'review', rule: '§8' },
  MISSING_STUDY_DATE: { severity: 'review', rule: '§1' },
  NO_ADDRESSEE: { severity: 'review', rule: 'output' },
  EXTRACTION_ERRORS: { severity: 'review', rule: 'input' },
  UNVERIFIED_VALUES: { severity: 'review', rule: 'input' },
  UNPRINTABLE_TEXT: { severity: 'review', rule: 'output' },
  REVIEW_ALL: { severity: 'review', rule: 'configuration' },
} as const satisfies Record<string, { severity: 'info' | 'review'; rule: string }>;

export type FlagCode = keyof typeof FLAG_DEFINITIONS;
export const FLAG_CODES = Object.keys(FLAG_DEFINITIONS) as FlagCode[];

/**
 * Flags whose letter sentence depends on what the service found, one template per variant
 * (`flags.<CODE>.<variant>`): a vertebra that stands out from its neighbours or one with a
 * fracture; a scanner category that differs from ours or one that could not be read.
 */
export const FLAG_VARIANTS = {
  SPINE_EXCLUSION_SUGGESTED: ['outlier', 'fracture'],
  VENDOR_CATEGORY_DIFFERS: ['differs', 'uncomparable'],
} as const satisfies Partial<Record<FlagCode, readonly string[]>>;

/**
 * What a flag knows, as data for the letter's words (`item.<name>` in the flag's template): scores
 * are numbers (the letter formats them), words from the scanner are strings, categories are ids.
 */
export const FLAG_DETAILS = {
  SPINE_EXCLUSION_SUGGESTED: ['score', 'neighbour', 'neighbourScore', 'scoreKind', 'grade'],
  VFA_GRADE_DIFFERS: ['readerGrade', 'computedGrade', 'reductionPercent'],
  VENDOR_CATEGORY_DIFFERS: ['scanner', 'category'],
} as const satisfies Partial<Record<FlagCode, readonly string[]>>;

export type FlagDetails = Record<string, string | number>;

export interface Flag {
  code: FlagCode;
  severity: 'info' | 'review';
  message: string;
  /** the region or vertebra the flag is about, for the letter's words */
  subject?: string;
  /** which sentence the letter uses, for the flags of FLAG_VARIANTS */
  variant?: string;
  /** what the service knows, for the letter's words (FLAG_DETAILS) */
  details?: FlagDetails;
}

export function flag(code: FlagCode, message: string, subject?: string, extra: { variant?: string; details?: FlagDetails } = {}): Flag {
  const made: Flag = { code, severity: FLAG_DEFINITIONS[code].severity, message };
  if (subject !== undefined) made.subject = subject;
  if (extra.variant !== undefined) made.variant = extra.variant;
  if (extra.details !== undefined) made.details = extra.details;
  return made;
}

/** The flags that hold letters by default: every review flag (clinical-rules §8). */
export const DEFAULT_HOLDING_FLAGS: FlagCode[] = FLAG_CODES.filter((code) => FLAG_DEFINITIONS[code].severity === 'review');

/**
 * Never released, whatever the holding flags say: a study whose input had errors, a letter that
 * would print a box where the patient's name or ID should be, and every study of a department
 * that releases nothing unreviewed.
 */
export const ALWAYS_HOLDING: ReadonlySet<FlagCode> = new Set(['EXTRACTION_ERRORS', 'UNPRINTABLE_TEXT', 'REVIEW_ALL']);
