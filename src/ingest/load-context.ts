import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ClinicalContextSchema, CONTEXT_FIELDS, EMPTY_CONTEXT, type ClinicalContext, type ContextField } from '../model/clinical-context.ts';
import { formatIssues } from '../model/format-issues.ts';
import { ProblemCode, type Problem } from '../model/problems.ts';
import type { ExtractedStudy } from '../model/study.ts';

export interface LoadedContext {
  context: ClinicalContext;
  file: string;
  /** the fields the file itself gives (not filled in by a default); when absent, those that differ from the defaults */
  given?: readonly ContextField[];
}

export type ContextFileResult = { ok: true; loaded: LoadedContext } | { ok: false; problem: Problem };

/** Reads and validates one context file; any fault is a problem naming the file and the key. */
export async function readContextFile(file: string): Promise<ContextFileResult | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return fail(file, `cannot be read (${(error as Error).message})`);
  }
  return parseContext(text, file);
}

/** Validates the text of a context file; `file` names it in any problem. */
export function parseContext(text: string, file: string): ContextFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(file, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = ClinicalContextSchema.safeParse(json);
  if (!parsed.success) return fail(file, `is not a valid clinical context: ${formatIssues(parsed.error)}`);
  const given = CONTEXT_FIELDS.filter((key) => Object.hasOwn(json as object, key));
  return { ok: true, loaded: { context: parsed.data, file, given } };
}

/** The fields a loaded context gives: as the file said, or else those that differ from the defaults. */
export function givenFields(loaded: LoadedContext): readonly ContextField[] {
  if (loaded.given) return loaded.given;
  const { menopausalStatus, fractureHistory, gp } = loaded.context;
  return CONTEXT_FIELDS.filter((key) => (key === 'menopausalStatus' ? menopausalStatus !== 'unknown' : key === 'fractureHistory' ? fractureHistory.length > 0 : gp !== undefined));
}

export interface SidecarCandidate {
  file: string;
  /** a file sidecar belongs to its export; a folder one to whichever studies of that folder it names */
  scope: 'file' | 'folder';
}

/** The sidecars that may belong to an export file: `X.dcm.context.json`, `X.context.json`, `context.json` beside it. */
export function sidecarCandidates(exportFile: string): SidecarCandidate[] {
  const folder = dirname(exportFile);
  const name = basename(exportFile);
  const stem = basename(exportFile, extname(exportFile));
  return [
    { file: join(folder, `${name}.context.json`), scope: 'file' },
    { file: join(folder, `${stem}.context.json`), scope: 'file' },
    { file: join(folder, 'context.json'), scope: 'folder' },
  ];
}

export interface StudyContext {
  context: ClinicalContext;
  sources: string[];
  problems: Problem[];
  /** the sidecar (or `--context` file) the context was taken from; null when none applies */
  chosen: LoadedContext | null;
}

/**
 * The clinical context of a study: from `--context` if given, else from sidecars next to its files.
 * A sidecar that is bad, meant for another study, or contradicts another is an error, never skipped.
 */
/** Where sidecars are read from: the file system beside the exports, or the store for the watcher. */
export type SidecarReader = (file: string) => Promise<ContextFileResult | null>;

export async function contextForStudy(study: ExtractedStudy, explicit?: LoadedContext, readSidecar: SidecarReader = readContextFile): Promise<StudyContext> {
  const problems: Problem[] = [];
  const found: LoadedContext[] = [];
  const seen = new Set<string>();
  for (const candidate of study.instances.flatMap((instance) => sidecarCandidates(instance.file))) {
    if (seen.has(candidate.file)) continue;
    seen.add(candidate.file);
    const result = await readSidecar(candidate.file);
    if (result === null) continue;
    if (!result.ok) problems.push(result.problem);
    else if (candidate.scope === 'file' || mismatchWith(result.loaded.context, study) === null) found.push(result.loaded);
  }
  if (explicit && appliesTo(explicit.context, study)) found.unshift(explicit);
  const applicable = found.filter((loaded) => {
    const mismatch = mismatchWith(loaded.context, study);
    if (mismatch) problems.push({ code: ProblemCode.CONTEXT_INVALID, message: `${loaded.file} ${mismatch}`, file: loaded.file });
    return mismatch === null;
  });
  const distinct = new Map(applicable.map((loaded) => [contextContent(loaded.context), loaded]));
  if (distinct.size > 1) {
    problems.push({
      code: ProblemCode.CONTEXT_INVALID,
      message: `clinical contexts disagree: ${[...distinct.values()].map((loaded) => loaded.file).join(' versus ')}`,
    });
  }
  const chosen = applicable[0];
  return { context: chosen?.context ?? EMPTY_CONTEXT, sources: applicable.map((loaded) => loaded.file), problems, chosen: chosen ?? null };
}

function appliesTo(context: ClinicalContext, study: ExtractedStudy): boolean {
  return context.studyInstanceUid === undefined || context.studyInstanceUid === study.study.studyInstanceUid;
}

function mismatchWith(context: ClinicalContext, study: ExtractedStudy): string | null {
  if (!appliesTo(context, study)) return `is for study ${context.studyInstanceUid}, not ${study.study.studyInstanceUid}`;
  if (context.patientId !== undefined && context.patientId !== study.patient.id) {
    return `is for patient ${context.patientId}, not ${study.patient.id ?? '(no ID)'}`;
  }
  return null;
}

/** What a context says about the patient and their GP, without what it is bound to: equal texts, equal contexts. */
export function contextContent(context: Pick<ClinicalContext, 'menopausalStatus' | 'fractureHistory'> & { gp?: unknown }): string {
  // a context without a GP gives the same text as before the GP was compared
  return JSON.stringify({ menopausalStatus: context.menopausalStatus, fractureHistory: context.fractureHistory, gp: context.gp });
}

function fail(file: string, reason: string): ContextFileResult {
  return { ok: false, problem: { code: ProblemCode.CONTEXT_INVALID, message: `${file} ${reason}`, file } };
}
