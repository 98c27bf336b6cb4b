import type { Trend } from '../../model/classification.ts';
import type { Block } from '../letter-document.ts';
import type { Templates } from '../load-templates.ts';
import { scoreScale, type ScaleInput } from './score-scale.ts';
import { trendChart } from './trend-chart.ts';

/** The score scale as a letter block, or nothing when there is no diagnosis to show. */
export function scaleBlock(c: ScaleInput, templates: Templates, reader: 'gp' | 'patient'): Block[] {
  const scale = scoreScale(c, templates, reader);
  return scale === null ? [] : [{ kind: 'picture', name: 'scoreScale', svg: scale.svg, width: scale.width, height: scale.height, alt: scale.alt }];
}

/** The BMD trend as a letter block, or nothing when no earlier study is comparable. */
export function trendBlock(trend: Trend | null, templates: Templates): Block[] {
  const chart = trendChart(trend, templates);
  return chart === null ? [] : [{ kind: 'picture', name: 'bmdTrend', svg: chart.svg, width: chart.width, height: chart.height, alt: chart.alt }];
}
