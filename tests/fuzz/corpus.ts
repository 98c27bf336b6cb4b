import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { readContextFile, type ContextFileResult, type SidecarReader } from '../../src/ingest/load-context.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import type { InstanceExtraction } from '../../src/model/study.ts';

export interface CorpusFile {
  /** the fixture's path: a mutant is read as if it were this file, so its study's sidecars apply */
  path: string;
  bytes: Uint8Array;
  study: CorpusStudy;
  extraction: InstanceExtraction;
}

export interface CorpusStudy {
  id: string;
  files: CorpusFile[];
  original: AssessedStudy;
}

export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

/** Every fixture export, read, with its study merged and assessed as `dexa ingest` would. */
export async function loadCorpus(directory = FIXTURES): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  for (const id of (await readdir(directory)).filter((name) => /^\d{2}-/.test(name)).sort()) {
    const study: CorpusStudy = { id, files: [], original: undefined as unknown as AssessedStudy };
    for (const name of (await readdir(join(directory, id))).filter((n) => n.endsWith('.dcm')).sort()) {
      const path = join(directory, id, name);
      const bytes = new Uint8Array(await readFile(path));
      const outcome = readExportBytes(bytes, path);
      if (!outcome.ok) throw new Error(`fixture ${path} does not read: ${outcome.failure.error}`);
      study.files.push({ path, bytes, study, extraction: outcome.extraction });
    }
    study.original = await assess(study.files.map((file) => file.extraction));
    files.push(...study.files);
  }
  return files;
}

const sidecars = new Map<string, Promise<ContextFileResult | null>>();
/** Sidecars do not change during a run: read each once. */
const cachedSidecar: SidecarReader = (file) => {
  let result = sidecars.get(file);
  if (!result) sidecars.set(file, (result = readContextFile(file)));
  return result;
};

/** The same path as `dexa ingest`: merge the instances, find the clinical context, classify. */
export function assess(extractions: InstanceExtraction[]): Promise<AssessedStudy> {
  return assessStudy(mergeStudy(extractions), undefined, undefined, cachedSidecar);
}
