import type { Block } from '../letter-document.ts';
import type { Templates } from '../load-templates.ts';
import { scoreScale, type ScaleInput } from './score-scale.ts';

/** The score scale as a letter block, or nothing when there is no diagnosis to show. */
export function scaleBlock(c: ScaleInput, templates: Templates, reader: 'gp' | 'patient'): Block[] {
  const scale = scoreScale(c, templates, reader);
  return scale === null ? [] : [{ kind: 'picture', name: 'scoreScale', svg: scale.svg, width: scale.width, height: scale.height, alt: scale.alt }];
}
