import type { Trend, TrendSeries } from '../../model/classification.ts';
import { formatBmd, formatMonthYear, signed } from '../format.ts';
import { regionLabel } from '../letter-view.ts';
import type { Templates } from '../load-templates.ts';
import { INK, measure, MUTED, PICTURE_FONT_FAMILY, round, svgText, type Picture } from './svg-parts.ts';

/**
 * The BMD trend (issue 17), drawn once as SVG for the GP letter (svg-to-pdfkit) and the study page
 * (inline): one small panel per diagnostic region and side, BMD in g/cm² over the study dates,
 * each value with its region's LSC as an error bar. A step that reaches the LSC is a solid line
 * with its change written beside it; a step below it is a dashed line with no words, as §7 calls
 * nothing a change below the LSC. Line style and words, not colour, tell the two apart.
 */

/** The trend as drawn. */
export type TrendChart = Picture;

const GAP = 18;
const PANEL_HEIGHT = 128;
const TITLE_SIZE = 9;
const AXIS_SIZE = 7.5;
const CHANGE_SIZE = 7.5;
const LEGEND_SIZE = 8;
/** Inside a panel: room for the BMD labels on the left, the dates below, the title above. */
const PLOT = { left: 34, right: 10, top: 18, bottom: 26 };

/** The trend in the given words; null when there is nothing to draw. */
export function trendChart(trend: Trend | null, templates: Templates, width = 467): TrendChart | null {
  if (trend === null || trend.series.length === 0) return null;
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, {}, item);
  const months = templates.list('common', 'months');
  const rows = panelRows(trend.series);
  const columns = rows.some((row) => row.length === 2) ? 2 : 1;
  const panelWidth = (width - GAP * (columns - 1)) / columns;
  const parts: string[] = [];
  rows.forEach((row, r) => {
    row.forEach((series, c) => parts.push(panel(series, c * (panelWidth + GAP), r * (PANEL_HEIGHT + GAP / 2), panelWidth, templates, months)));
  });
  const legendTop = rows.length * PANEL_HEIGHT + (rows.length - 1) * (GAP / 2) + 6;
  const legend = legendParts(legendTop, width, common);
  parts.push(legend.svg);
  const height = Math.ceil(legend.bottom + 3);
  const alt = common('trend.alt', { series: trend.series.map((series) => seriesInWords(series, templates, months)).join('; ') });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` font-family="${PICTURE_FONT_FAMILY}">` +
    parts.join('') +
    '</svg>';
  return { svg, width, height, alt };
}

/**
 * Two panels a row: the left and right side of a hip region side by side, the other regions (spine,
 * forearm) paired in the order given, before the hips as the letter's table has them.
 */
function panelRows(series: TrendSeries[]): TrendSeries[][] {
  const singles = series.filter((s) => s.side === null || !series.some((other) => other !== s && other.region === s.region));
  const rows: TrendSeries[][] = [];
  for (let i = 0; i < singles.length; i += 2) rows.push(singles.slice(i, i + 2));
  const paired = series.filter((s) => !singles.includes(s));
  for (const region of [...new Set(paired.map((s) => s.region))]) {
    const sides = paired.filter((s) => s.region === region).sort((a, b) => (a.side === 'left' ? -1 : b.side === 'left' ? 1 : 0));
    rows.push(sides);
  }
  return rows;
}

function panel(series: TrendSeries, left: number, top: number, width: number, templates: Templates, months: string[]): string {
  const language = templates.language;
  const x0 = left + PLOT.left;
  const x1 = left + width - PLOT.right;
  const y0 = top + PLOT.top;
  const y1 = top + PANEL_HEIGHT - PLOT.bottom;
  const times = series.points.map((point) => Date.parse(`${point.date}T00:00:00Z`));
  const first = Math.min(...times);
  const last = Math.max(...times);
  // the points stand a little inside the axis, so an error bar never sits on it
  const inset = 10;
  const xOf = (time: number) => (last === first ? (x0 + x1) / 2 : x0 + inset + ((time - first) / (last - first)) * (x1 - x0 - 2 * inset));
  const axis = bmdAxis(Math.min(...series.points.map((p) => p.bmd - series.lsc)), Math.max(...series.points.map((p) => p.bmd + series.lsc)));
  const yOf = (bmd: number) => y1 - ((bmd - axis.low) / (axis.high - axis.low)) * (y1 - y0);

  const parts: string[] = [];
  const title = regionLabel(series.region, series.side, templates);
  parts.push(svgText(title, left, top + 10, TITLE_SIZE, { weight: 600, cls: 'trend-title' }));
  parts.push(svgText('BMD (g/cm²)', left + measure(title, TITLE_SIZE, 'semibold') + 6, top + 10, AXIS_SIZE, { fill: MUTED, cls: 'trend-unit' }));
  for (const value of axis.ticks) {
    const y = round(yOf(value));
    parts.push(`<line class="grid" x1="${round(x0)}" y1="${y}" x2="${round(x1)}" y2="${y}" stroke="#c8c8c8" stroke-width="0.5"/>`);
    parts.push(svgText(decimals(value, axis.digits, language), x0 - 4, y + 2.5, AXIS_SIZE, { anchor: 'end', fill: MUTED, cls: 'trend-tick' }));
  }
  parts.push(`<path class="axis" d="M${round(x0)} ${round(y0)} L${round(x0)} ${round(y1)} L${round(x1)} ${round(y1)}" stroke="${INK}" stroke-width="0.7" fill="none"/>`);

  const points = series.points.map((point, i) => ({ ...point, x: round(xOf(times[i]!)), y: round(yOf(point.bmd)) }));
  // the dates under the axis; a date that would run into the one before goes a line lower
  let previousEnd = -Infinity;
  let lowered = false;
  for (const point of points) {
    const label = formatMonthYear(point.date, months).replace(/^(\S{3})\S*/, '$1');
    const labelWidth = measure(label, AXIS_SIZE, 'regular');
    lowered = point.x - labelWidth / 2 < previousEnd + 3 && !lowered;
    const baseline = y1 + 10 + (lowered ? 9 : 0);
    parts.push(`<line class="tick" x1="${point.x}" y1="${round(y1)}" x2="${point.x}" y2="${round(y1 + 3)}" stroke="${MUTED}" stroke-width="0.6"/>`);
    parts.push(svgText(label, point.x, baseline, AXIS_SIZE, { anchor: 'middle', fill: MUTED, cls: 'trend-date' }));
    previousEnd = point.x + labelWidth / 2;
  }
  // the steps between measurements: solid and named when significant, dashed and silent when not
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1]!;
    const point = points[i]!;
    const significant = point.change?.significant === true;
    const style = significant ? `stroke-width="1.6"` : `stroke-width="0.9" stroke-dasharray="3 2"`;
    parts.push(`<line class="trend-step${significant ? ' significant' : ''}" x1="${before.x}" y1="${before.y}" x2="${point.x}" y2="${point.y}" stroke="${INK}" ${style}/>`);
  }
  for (const point of points) {
    const low = round(yOf(point.bmd - series.lsc));
    const high = round(yOf(point.bmd + series.lsc));
    parts.push(
      `<path class="error-bar" d="M${point.x} ${low} L${point.x} ${high} M${round(point.x - 3)} ${low} L${round(point.x + 3)} ${low} M${round(point.x - 3)} ${high} L${round(point.x + 3)} ${high}" stroke="${MUTED}" stroke-width="0.7" fill="none"/>`,
    );
    parts.push(`<circle class="trend-point" data-date="${point.date}" data-bmd="${point.bmd}" cx="${point.x}" cy="${point.y}" r="2.6" fill="${INK}" stroke="#ffffff" stroke-width="0.8"/>`);
  }
  // each significant change in words, above its step (below it when the step is near the top)
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1]!;
    const point = points[i]!;
    if (point.change?.significant !== true) continue;
    const words = templates.text('common', 'trend.change', {}, { delta: signed(formatBmd(point.change.deltaBmd, language)) });
    const middleX = (before.x + point.x) / 2;
    const middleY = (before.y + point.y) / 2;
    const textWidth = measure(words, CHANGE_SIZE, 'semibold');
    // on the open side of the line: right of the middle above a fall, left of it above a rise
    const wanted = point.y >= before.y ? middleX + 5 : middleX - 5 - textWidth;
    const x = Math.max(x0 + 2, Math.min(x1 - textWidth - 2, wanted));
    const y = middleY - 5 < y0 + CHANGE_SIZE ? middleY + 12 : middleY - 5;
    parts.push(`<rect x="${round(x - 1.5)}" y="${round(y - CHANGE_SIZE + 0.5)}" width="${round(textWidth + 3)}" height="${CHANGE_SIZE + 2}" fill="#ffffff"/>`);
    parts.push(svgText(words, x, y, CHANGE_SIZE, { weight: 600, cls: 'trend-change' }));
  }
  return `<g class="trend-series" data-region="${series.region}" data-side="${series.side ?? ''}" data-lsc="${series.lsc}">${parts.join('')}</g>`;
}

/** The BMD axis: a range around the values and their error bars, with three to five round ticks. */
function bmdAxis(min: number, max: number): { low: number; high: number; ticks: number[]; digits: number } {
  const span = Math.max(max - min, 0.04);
  const step = [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5].find((candidate) => span / candidate <= 4) ?? 1;
  const low = Math.floor((min - span * 0.05) / step) * step;
  const high = Math.ceil((max + span * 0.05) / step) * step;
  const ticks: number[] = [];
  for (let value = low; value <= high + step / 2; value += step) ticks.push(Math.round(value * 1000) / 1000);
  const digits = step >= 0.1 ? 1 : step >= 0.05 || step === 0.02 || step === 0.01 ? 2 : 3;
  return { low, high, ticks, digits };
}

function legendParts(top: number, width: number, common: (key: string) => string): { svg: string; bottom: number } {
  const parts: string[] = [];
  const baseline = top + 10;
  const mid = baseline - 3;
  const samples: [(x: number) => string, string][] = [
    [(x) => `<line x1="${x}" y1="${mid}" x2="${x + 18}" y2="${mid}" stroke="${INK}" stroke-width="1.6"/>`, common('trend.legend.significant')],
    [(x) => `<line x1="${x}" y1="${mid}" x2="${x + 18}" y2="${mid}" stroke="${INK}" stroke-width="0.9" stroke-dasharray="3 2"/>`, common('trend.legend.notSignificant')],
    [(x) => `<path d="M${x + 9} ${mid - 5} L${x + 9} ${mid + 5} M${x + 6} ${mid - 5} L${x + 12} ${mid - 5} M${x + 6} ${mid + 5} L${x + 12} ${mid + 5}" stroke="${MUTED}" stroke-width="0.7" fill="none"/>`, common('trend.legend.lsc')],
  ];
  let x = 0;
  let line = 0;
  for (const [sample, words] of samples) {
    const wordsWidth = measure(words, LEGEND_SIZE, 'regular');
    if (x > 0 && x + 22 + wordsWidth > width) {
      x = 0;
      line++;
    }
    const shift = line * 12;
    parts.push(`<g transform="translate(0 ${shift})">${sample(round(x))}</g>`);
    parts.push(svgText(words, x + 22, baseline + shift, LEGEND_SIZE, { cls: 'trend-legend' }));
    x += 22 + wordsWidth + 14;
  }
  return { svg: `<g class="trend-legend">${parts.join('')}</g>`, bottom: baseline + line * 12 + 2 };
}

/** One series in words for the alternative text: each value with its date, and which steps were significant. */
function seriesInWords(series: TrendSeries, templates: Templates, months: string[]): string {
  const language = templates.language;
  const values = series.points.map((point) => templates.text('common', 'trend.altValue', {}, { bmd: formatBmd(point.bmd, language), date: formatMonthYear(point.date, months) }));
  const changes = series.points.flatMap((point, i) =>
    point.change?.significant === true
      ? [templates.text('common', 'trend.altChange', {}, { delta: signed(formatBmd(point.change.deltaBmd, language)), since: formatMonthYear(series.points[i - 1]!.date, months) })]
      : [],
  );
  return `${regionLabel(series.region, series.side, templates)}: ${values.join(', ')}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}`;
}

function decimals(value: number, digits: number, language: string): string {
  const text = value.toFixed(digits);
  return language === 'nl' ? text.replace('.', ',') : text;
}
