import type { SrNode } from '../../dicom/sr-tree.ts';
import { ProblemCode, ReadError } from '../../model/problems.ts';
import { quoteInput, shortInput } from '../../model/quote-input.ts';
import { LOINC_BY_SITE, sameCode, type Code } from '../../dicom/coding.ts';
import { Codes } from '../../dicom/profile-codes.ts';

const BMD_QUANTITIES: Code[] = Object.values(LOINC_BY_SITE).flatMap((site) => [site.bmd, site.tScore, site.zScore]);
const GROUP_CONTEXT: Code[] = [Codes.trackingIdentifier, Codes.trackingUid, Codes.findingSite, Codes.laterality];

/** What each container of the profile may hold (docs/dxa-sr-profile.md); items not listed may repeat only where said. */
export const PROFILE_ITEMS = {
  root: [Codes.language, Codes.observerType, Codes.personObserverName, Codes.procedureReported, Codes.imageLibrary, Codes.imagingMeasurements, Codes.qualitativeEvaluations],
  imagingMeasurements: [Codes.groupCount, Codes.vfaAssessed, Codes.measurementGroup],
  qualitativeEvaluations: [Codes.scannerCategory],
  bmdGroup: [...GROUP_CONTEXT, ...BMD_QUANTITIES],
  vfaGroup: [...GROUP_CONTEXT, Codes.vfaEvaluable, Codes.anteriorHeight, Codes.middleHeight, Codes.posteriorHeight, Codes.genantGrade],
} as const;

const REPEATABLE: Code[] = [Codes.findingSite, Codes.vfaAssessed, Codes.measurementGroup, Codes.imageLibrary];

/**
 * Every item of a profile container must be one the profile defines, and once unless it may
 * repeat. An item whose concept was damaged is refused rather than skipped: a skipped T-score
 * or height would change the diagnosis without a word.
 */
export function onlyKnownItems(node: SrNode, allowed: readonly Code[], where: string): void {
  const seen: Code[] = [];
  for (const child of node.children) {
    const code = allowed.find((candidate) => sameCode(child.concept, candidate));
    if (!code) {
      const concept = child.concept
        ? `${quoteInput(child.concept.meaning)} (${shortInput(child.concept.scheme)} ${shortInput(child.concept.value)})`
        : 'an item without a concept name';
      throw new ReadError(ProblemCode.PROFILE_INVALID, `${where} holds ${concept}, which the profile does not define there`);
    }
    if (seen.includes(code) && !REPEATABLE.includes(code)) {
      throw new ReadError(ProblemCode.PROFILE_INVALID, `${where} holds '${code.meaning}' twice`);
    }
    seen.push(code);
  }
}
