import { classifyStudy } from '../clinical/classify-study.ts';
import { DEFAULT_CLINICAL_SETTINGS, type ClinicalSettings } from '../clinical/settings.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { unprintableText } from '../fonts/font-runs.ts';
import type { ExtractedStudy } from '../model/study.ts';
import type { PriorStudy } from '../clinical/compare-prior.ts';
import type { ContextEntry } from '../model/clinical-context.ts';
import { mergeEnteredContext } from './entered-context.ts';
import { contextForStudy, readContextFile, type LoadedContext, type SidecarReader } from './load-context.ts';

/**
 * A merged study with its clinical context found (the sidecars' over what the export itself
 * gives, with the latest entry from the review page over them field by field, `entered`) and its
 * classification made (compared with `priors`, the patient's earlier studies); context problems
 * become study errors. Whether the letters' fonts can print the patient's name is decided here,
 * before any letter exists, so it holds the letters like any other flag.
 */
export async function assessStudy(
  study: ExtractedStudy,
  explicitContext?: LoadedContext,
  settings: ClinicalSettings = DEFAULT_CLINICAL_SETTINGS,
  readSidecar: SidecarReader = readContextFile,
  priors: PriorStudy[] = [],
  entered: ContextEntry | null = null,
): Promise<AssessedStudy> {
  const found = await contextForStudy(study, explicitContext, readSidecar);
  const { context, provenance } = mergeEnteredContext(found, entered, study.study.referringPhysician, study.scannerContext?.menopausalStatus ?? null);
  const withProblems: ExtractedStudy = { ...study, errors: [...study.errors, ...found.problems] };
  return { ...withProblems, context: { ...context, sources: found.sources, provenance }, classification: classifyStudy(withProblems, context, settings, priors, unprintableText) };
}
