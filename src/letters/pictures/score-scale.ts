import type { Classification } from '../../model/classification.ts';
import { isSpineRange, type Region } from '../../model/regions.ts';
import { formatScore } from '../format.ts';
import { fractureWords, regionLabel } from '../letter-view.ts';
import type { Templates } from '../load-templates.ts';
import { INK, measure, MUTED, PICTURE_FONT_FAMILY, placed, round, svgText as text, wrap, type Picture } from './svg-parts.ts';

/**
 * The score scale (issue 17), drawn once as SVG for the letters (svg-to-pdfkit) and the study page
 * (inline): a band from +2 to −4, its zones by name, the patient's index score marked with its
 * region. On the T path the WHO zones (normaal ≥ −1,0; osteopenie; osteoporose ≤ −2,5); on the Z
 * and paediatric paths one cut-off at −2,0 with the letters' age-comparison words, never a WHO word
 * (clinical-rules §5). No scale without a diagnosis. The zones differ in grey level and hatching
 * as well as by name, so a black-and-white print still tells them apart.
 */

/** The scale's ends: where the band starts (left) and ends (right). */
export const SCALE_HIGH = 2;
export const SCALE_LOW = -4;

/** The parts of a classification the scale is drawn from. */
export type ScaleInput = Pick<Classification, 'path' | 'category' | 'indexScore' | 'indexRegion' | 'indexSide' | 'fragilityFractures'>;

/** The scale as drawn. */
export type ScoreScale = Picture;

interface Zone {
  from: number;
  to: number;
  label: string;
  fill: string;
  hatch: boolean;
}

const SIDE = 14;
const BAND_HEIGHT = 16;
const LABEL_SIZE = 9.5;
const NOTE_SIZE = 9;
const TICK_SIZE = 8;
const ZONE_SIZE = 9;
const ZONE_LINE = 10;

/**
 * The scale of a classification in the given words; null when there is no diagnosis to show. For
 * the patient (`reader: 'patient'`) the region is named as the patient letter names it (`uw heup`)
 * and a fracture as its result sentence does, never by vertebra; the GP letter and the study page
 * name the region and the fractures as the GP letter does.
 */
export function scoreScale(c: ScaleInput, templates: Templates, reader: 'gp' | 'patient' = 'gp', width = 467): ScoreScale | null {
  if (c.category === null || c.indexScore === null || c.indexRegion === null) return null;
  const language = templates.language;
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, {}, item);
  const score = (value: number) => formatScore(value, language);
  const kind = c.path === 'T' ? 'T' : 'Z';
  const zones: Zone[] =
    c.path === 'T'
      ? [
          { from: SCALE_HIGH, to: -1, label: common('scale.zones.normal'), fill: '#ffffff', hatch: false },
          { from: -1, to: -2.5, label: common('scale.zones.osteopenia'), fill: '#d9d9d9', hatch: false },
          { from: -2.5, to: SCALE_LOW, label: common('scale.zones.osteoporosis'), fill: '#b3b3b3', hatch: true },
        ]
      : [
          { from: SCALE_HIGH, to: -2, label: common('categories.within_expected_for_age'), fill: '#ffffff', hatch: false },
          { from: -2, to: SCALE_LOW, label: common('categories.below_expected_for_age'), fill: '#c4c4c4', hatch: true },
        ];
  const cutOffs = c.path === 'T' ? [-1, -2.5] : [-2];

  const x0 = SIDE;
  const x1 = width - SIDE;
  const xOf = (value: number) => x0 + ((SCALE_HIGH - value) / (SCALE_HIGH - SCALE_LOW)) * (x1 - x0);
  const beyond = c.indexScore < SCALE_LOW ? 'low' : c.indexScore > SCALE_HIGH ? 'high' : null;
  const markerX = round(xOf(Math.min(SCALE_HIGH, Math.max(SCALE_LOW, c.indexScore))));

  const region = regionLabel(c.indexRegion, c.indexSide, templates);
  const forPatient = reader === 'patient';
  const label = forPatient
    ? common('scale.patient.marker', { kind, score: score(c.indexScore), region: common(`patientSites.${patientSite(c.indexRegion)}`) })
    : common('scale.marker', { kind, score: score(c.indexScore), region });
  const notes: string[] = [];
  if (beyond) notes.push(common(`scale.beyond.${beyond}`, { score: score(c.indexScore) }));
  if (c.category === 'severe_osteoporosis' && c.fragilityFractures.length > 0) {
    notes.push(forPatient ? common('scale.patient.severe') : common('scale.severe', { fractures: fractureWords(c.fragilityFractures, templates) }));
  }

  const parts: string[] = [];
  // the marker's words above the band, kept inside the picture's width
  let y = 10;
  parts.push(text(label, placed(markerX, measure(label, LABEL_SIZE, 'semibold'), width), y, LABEL_SIZE, { weight: 600, cls: 'marker-label' }));
  for (const note of notes) {
    y += 11;
    parts.push(text(note, placed(markerX, measure(note, NOTE_SIZE, 'regular'), width), y, NOTE_SIZE, { cls: 'marker-note' }));
  }
  const pointerTop = y + 3;
  const top = pointerTop + 6;
  const bandBottom = top + BAND_HEIGHT;

  for (const zone of zones) {
    const left = round(xOf(zone.from));
    const right = round(xOf(zone.to));
    parts.push(`<rect class="zone" x="${left}" y="${top}" width="${round(right - left)}" height="${BAND_HEIGHT}" fill="${zone.fill}"/>`);
    if (zone.hatch) parts.push(hatch(left, right, top, bandBottom));
  }
  parts.push(`<rect class="band" x="${x0}" y="${top}" width="${round(x1 - x0)}" height="${BAND_HEIGHT}" fill="none" stroke="${INK}" stroke-width="0.8"/>`);
  for (const cut of cutOffs) {
    const x = round(xOf(cut));
    parts.push(`<line class="cut-off" x1="${x}" y1="${top - 3}" x2="${x}" y2="${bandBottom + 4}" stroke="${INK}" stroke-width="1.4"/>`);
  }
  // the scale's numbers: the whole ones, and each cut-off that is not whole (−2,5)
  // left to right, as a reader (and a PDF's text) reads them
  const ticks = [...range(SCALE_LOW, SCALE_HIGH), ...cutOffs.filter((cut) => !Number.isInteger(cut))].sort((a, b) => b - a);
  for (const value of ticks) {
    const x = round(xOf(value));
    const cut = cutOffs.includes(value);
    const word = value > 0 ? `+${score(value)}` : score(value);
    if (!cut) parts.push(`<line class="tick" x1="${x}" y1="${bandBottom}" x2="${x}" y2="${bandBottom + 3}" stroke="${MUTED}" stroke-width="0.6"/>`);
    parts.push(text(word, x, bandBottom + 11, TICK_SIZE, { anchor: 'middle', weight: cut ? 600 : 400, fill: cut ? INK : MUTED, cls: 'tick-label' }));
  }
  // each zone's name under the numbers, wrapped to the zone's width
  let lowest = bandBottom + 11;
  for (const zone of zones) {
    const left = xOf(zone.from);
    const right = xOf(zone.to);
    const lines = wrap(zone.label, right - left - 6, ZONE_SIZE);
    lines.forEach((line, i) => {
      const baseline = bandBottom + 22 + i * ZONE_LINE;
      lowest = Math.max(lowest, baseline);
      parts.push(text(line, round((left + right) / 2), baseline, ZONE_SIZE, { anchor: 'middle', cls: 'zone-label' }));
    });
  }
  // the marker: a pointer above the band and a line through it, black on a white halo over any grey
  parts.push(`<path class="pointer" d="M${round(markerX - 5)} ${pointerTop} L${round(markerX + 5)} ${pointerTop} L${markerX} ${top} Z" fill="${INK}"/>`);
  parts.push(`<line x1="${markerX}" y1="${top}" x2="${markerX}" y2="${bandBottom}" stroke="#ffffff" stroke-width="5"/>`);
  parts.push(`<line class="marker" data-score="${c.indexScore}" x1="${markerX}" y1="${top}" x2="${markerX}" y2="${bandBottom}" stroke="${INK}" stroke-width="2.2"/>`);
  if (beyond) {
    // an arrow out of the band's end: the score lies further that way
    const out = beyond === 'low' ? 1 : -1;
    const tip = beyond === 'low' ? x1 + SIDE - 2 : x0 - SIDE + 2;
    const base = tip - out * 8;
    const middle = round(top + BAND_HEIGHT / 2);
    parts.push(`<path class="beyond" d="M${round(base)} ${middle - 6} L${round(tip)} ${middle} L${round(base)} ${middle + 6} Z" fill="${INK}"/>`);
  }

  const height = Math.ceil(lowest + 3);
  const category = common(`categories.${c.category}`);
  const alt = common('scale.alt', { kind, score: score(c.indexScore), region, category, from: `+${score(SCALE_HIGH)}`, to: score(SCALE_LOW) });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="score-scale" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` font-family="${PICTURE_FONT_FAMILY}" data-path="${c.path}" data-low="${SCALE_LOW}" data-high="${SCALE_HIGH}" data-band-x0="${x0}" data-band-x1="${x1}">` +
    parts.join('') +
    '</svg>';
  return { svg, width, height, alt };
}

/** The score a marker at `x` stands for on a band from x0 to x1: what a test reads back from the SVG. */
export function scoreAt(x: number, x0: number, x1: number): number {
  return SCALE_HIGH - ((x - x0) / (x1 - x0)) * (SCALE_HIGH - SCALE_LOW);
}

/** Where a region is, in the patient letter's words (patientSites): the spine, the hip or the forearm. */
function patientSite(region: Region): 'spine' | 'hip' | 'forearm' {
  if (isSpineRange(region)) return 'spine';
  return region.startsWith('radius') ? 'forearm' : 'hip';
}

function hatch(left: number, right: number, top: number, bottom: number): string {
  const height = bottom - top;
  const lines: string[] = [];
  // 45° lines every 5 units, cut to the zone
  for (let a = left - height; a < right; a += 5) {
    const startX = Math.max(a, left);
    const startY = bottom - (startX - a);
    const endX = Math.min(a + height, right);
    const endY = top + (a + height - endX);
    if (endX <= startX) continue;
    lines.push(`M${round(startX)} ${round(startY)} L${round(endX)} ${round(endY)}`);
  }
  return `<path class="hatch" d="${lines.join(' ')}" stroke="#3a3a3a" stroke-width="0.6" fill="none"/>`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
