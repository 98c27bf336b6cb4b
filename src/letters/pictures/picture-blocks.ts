import type { Trend } from '../../model/classification.ts';
import type { Block } from '../letter-document.ts';
import type { Templates } from '../load-templates.ts';
import { scoreScale, type ScaleInput } from './score-scale.ts';
import type { Picture } from './svg-parts.ts';
import { trendChart } from './trend-chart.ts';

/** The score scale as a letter block, or nothing when there is no diagnosis to show. */
export function scaleBlock(c: ScaleInput, templates: Templates, reader: 'gp' | 'patient'): Block[] {
  return pictureBlock('scoreScale', scoreScale(c, templates, reader));
}

/** The BMD trend as a letter block, or nothing when no earlier study is comparable. */
export function trendBlock(trend: Trend | null, templates: Templates): Block[] {
  return pictureBlock('bmdTrend', trendChart(trend, templates));
}

function pictureBlock(name: Extract<Block, { kind: 'picture' }>['name'], picture: Picture | null): Block[] {
  return picture === null ? [] : [{ kind: 'picture', name, ...picture }];
}
