import type { SrNode } from '../../dicom/sr-tree.ts';
import { ProblemCode, ReadError } from '../../model/problems.ts';
import { quoteInput } from '../../model/quote-input.ts';
import { VFA_LEVELS, type VfaLevel } from '../../model/study.ts';
import { parseDecimal } from '../parse-decimal.ts';
import { UNITS, sameCode, vertebraFromCode, type Code } from '../../dicom/coding.ts';
import { Codes } from '../../dicom/profile-codes.ts';

/**
 * The Imaging Measurements container says what a complete report holds (docs/dxa-sr-profile.md,
 * "Completeness"): how many measurement groups, and which vertebrae the VFA assessed. What was
 * found must be exactly that; a report cut short, or one whose groups were lost on the way, is
 * refused rather than read as a smaller report.
 */
export function checkDeclaredContent(container: SrNode, groupCount: number, vfaLevels: VfaLevel[]): void {
  const counts = container.children.filter((child) => sameCode(child.concept, Codes.groupCount));
  if (counts.length !== 1) {
    incomplete(`the Imaging Measurements container must declare its number of measurement groups once (GROUP-COUNT), not ${counts.length} times`);
  }
  const raw = counts[0]?.numeric?.raw ?? '';
  const declared = parseDecimal(raw);
  if (declared === null || !Number.isInteger(declared) || declared < 0) {
    throw new ReadError(ProblemCode.UNPARSABLE_VALUE, `the declared number of measurement groups is ${quoteInput(raw)}, not a count`);
  }
  const unit = counts[0]?.numeric?.unit ?? null;
  if (unit === null || !sameCode(unit, UNITS.count)) {
    throw new ReadError(
      ProblemCode.UNEXPECTED_UNIT,
      `the declared number of measurement groups (GROUP-COUNT) is ${unit === null || unit.value === '' ? 'without a unit' : `in ${quoteInput(unit.value)}`}, expected '${UNITS.count.value}'`,
    );
  }
  if (declared !== groupCount) incomplete(`the report declares ${declared} measurement groups but holds ${groupCount}`);

  const assessed = container.children.filter((child) => sameCode(child.concept, Codes.vfaAssessed));
  const declaredLevels = assessed.map((item) => (item.code ? vertebraFromCode(item.code as Code) : null));
  if (declaredLevels.some((level) => level === null || !(VFA_LEVELS as readonly string[]).includes(level))) {
    throw new ReadError(ProblemCode.PROFILE_INVALID, 'a declared VFA level (VFA-ASSESSED) is not a vertebra T4–L4');
  }
  const declaredSet = new Set(declaredLevels as VfaLevel[]);
  if (declaredSet.size !== declaredLevels.length) throw new ReadError(ProblemCode.PROFILE_INVALID, 'a VFA level is declared twice (VFA-ASSESSED)');
  if (vfaLevels.length > 0 && declaredSet.size === 0) incomplete('the report has VFA groups but does not declare the levels it assessed (VFA-ASSESSED)');
  const missing = [...declaredSet].filter((level) => !vfaLevels.includes(level));
  if (missing.length > 0) incomplete(`the VFA declares ${missing.join(', ')} as assessed but has no measurement group for ${missing.length === 1 ? 'it' : 'them'}`);
  const undeclared = vfaLevels.filter((level) => !declaredSet.has(level));
  if (undeclared.length > 0) incomplete(`the VFA has measurement groups for ${undeclared.join(', ')}, which it does not declare as assessed`);
}

function incomplete(message: string): never {
  throw new ReadError(ProblemCode.INCOMPLETE_REPORT, message);
}
