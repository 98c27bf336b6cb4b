import type { Language } from '../config/config-schema.ts';
import { flagSentence, tableRegions } from '../letters/compose-gp-letter.ts';
import { formatBmd, formatDate, formatScore } from '../letters/format.ts';
import { regionLabel } from '../letters/letter-view.ts';
import type { Templates } from '../letters/load-templates.ts';
import { scoreScale } from '../letters/pictures/score-scale.ts';
import { inlineSvg, type Picture } from '../letters/pictures/svg-parts.ts';
import { trendChart } from '../letters/pictures/trend-chart.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { escapeControls } from '../model/control-characters.ts';
import { isSpineRange, isVertebra, regionOrder, sideOrder, type Region, type Side } from '../model/regions.ts';

/** A page word by key (`study.values.title`), in the page's language. */
export type PageWords = (key: string) => string;

/** The words of one study's findings: the page's own, the letters' (regions, categories, grades), the language. */
export interface FindingWords {
  page: PageWords;
  letters: Templates;
  language: Language;
}

/** Text from an export or a sidecar, for one line of a page: no control character (a U+202E) acts, each is shown escaped. */
export const shown = (value: string | null | undefined): string => (value === null || value === undefined || value === '' ? '–' : escapeControls(value));

export const common = (words: FindingWords, key: string, item?: Record<string, unknown>): string => {
  try {
    return words.letters.text('common', key, {}, item);
  } catch {
    return key;
  }
};

export const categoryWord = (words: FindingWords, category: string | null): string => (category === null ? words.page('study.noDiagnosis') : common(words, `categories.${category}`));

const score = (value: number | null, language: Language) => (value === null ? '–' : formatScore(value, language));

/** A region as the letters name it (`femurhals links`); a single vertebra, which no letter shows, as the spine with one level (`LWK L2`). */
function regionName(region: Region, side: Side, words: FindingWords): string {
  if (!isVertebra(region)) return regionLabel(region, side, words.letters);
  const name = common(words, 'regions.spine', { range: region });
  return side === null ? name : `${name} ${common(words, `sides.${side}`)}`;
}

function siteOf(region: Region): 'spine' | 'hip' | 'forearm' {
  if (isSpineRange(region) || isVertebra(region)) return 'spine';
  return region.startsWith('radius') ? 'forearm' : 'hip';
}

/** The values table: every measured region by site (spine, hips, forearm), the ones the diagnosis considered and its index marked. */
export function valuesView(study: AssessedStudy, words: FindingWords) {
  const c = study.classification;
  const { rows } = tableRegions(study);
  const considered = new Set(rows.map((m) => `${m.region}|${m.side}`));
  const sorted = [...study.measurements].sort((a, b) => regionOrder(a.region) - regionOrder(b.region) || sideOrder(a.side) - sideOrder(b.side));
  const sites = (['spine', 'hip', 'forearm'] as const)
    .map((site) => ({
      site: words.page(`study.sites.${site}`),
      rows: sorted
        .filter((m) => siteOf(m.region) === site)
        .map((m) => {
          const isIndex = m.region === c.indexRegion && m.side === c.indexSide;
          return {
            region: regionName(m.region, m.side, words),
            bmd: m.bmd === null ? '–' : formatBmd(m.bmd, words.language),
            tScore: score(m.tScore, words.language),
            zScore: score(m.zScore, words.language),
            isIndex,
            diagnostic: considered.has(`${m.region}|${m.side}`),
            rowClass: isIndex ? 'index' : considered.has(`${m.region}|${m.side}`) ? 'diagnostic' : 'other',
          };
        }),
    }))
    .filter((site) => site.rows.length > 0);
  return { sites, any: sites.length > 0 };
}

/** The classification and every flag in words: what it means at the workstation, what the letter says of it, and whether it holds the letters. */
export function classificationView(study: AssessedStudy, words: FindingWords) {
  const c = study.classification;
  const holding = new Set<string>(c.holdingFlags);
  const flagWords = (code: string) => {
    const word = words.page(`flags.${code}`);
    return word === `flags.${code}` ? code : word;
  };
  return {
    category: categoryWord(words, c.category),
    path: words.page(`study.paths.${c.path}`),
    index: c.indexRegion === null ? '–' : `${regionName(c.indexRegion, c.indexSide, words)}: ${score(c.indexScore, words.language)}`,
    nhg: c.nhgBinary === null ? '–' : words.page(`study.nhg.${c.nhgBinary}`),
    vendorCategory: shown(study.study.vendorCategory),
    flags: c.flags.map((f) => {
      let caveat = '';
      try {
        caveat = flagSentence(f, (key, item) => common(words, key, item), words.letters);
      } catch {
        caveat = '';
      }
      return {
        code: f.code,
        words: flagWords(f.code),
        subject: f.subject === undefined ? null : shown(f.subject),
        caveat: shown(caveat),
        holds: holding.has(f.code),
        severity: words.page(`study.severity.${f.severity}`),
      };
    }),
    hasFlags: c.flags.length > 0,
    holdingFlags: c.holdingFlags.map((code) => ({ code, words: flagWords(code) })),
    scale: scaleView(study, words),
    trend: trendView(study, words),
  };
}

/** The letters' score scale, inline on the page in the page's language with its alternative text; null without a diagnosis. */
function scaleView(study: AssessedStudy, words: FindingWords): { svg: string; alt: string } | null {
  return inlineView(() => scoreScale(study.classification, words.letters));
}

/** The BMD trend as the GP letter draws it, inline with its alternative text; null without one. */
function trendView(study: AssessedStudy, words: FindingWords): { svg: string; alt: string } | null {
  return inlineView(() => trendChart(study.classification.trend, words.letters, 620));
}

/** A letter's picture for the page; null when there is none, or when the department's templates lack its words. */
function inlineView(draw: () => Picture | null): { svg: string; alt: string } | null {
  try {
    const picture = draw();
    return picture === null ? null : { svg: inlineSvg(picture), alt: picture.alt };
  } catch {
    return null;
  }
}

/** VFA: the vertebrae assessed, those not evaluable, and each fracture with its Genant grade. */
export function vfaView(study: AssessedStudy, words: FindingWords) {
  const c = study.classification;
  if (c.vertebrae.length === 0) return null;
  const fractures = c.vertebralFractures.filter((v) => (v.grade ?? 0) >= 1);
  return {
    assessed: c.vertebrae.filter((v) => v.evaluable).map((v) => v.level).join(', ') || '–',
    notEvaluable: c.vertebrae.filter((v) => !v.evaluable).map((v) => v.level).join(', '),
    fractures: fractures.map((v) => ({
      level: v.level,
      grade: v.grade === null ? '–' : `${v.grade} (${common(words, `genantGrades.${v.grade}`)})`,
      readerGrade: v.readerGrade === null ? '–' : String(v.readerGrade),
      computedGrade: v.computedGrade === null ? '–' : String(v.computedGrade),
      reduction: v.reductionPercent === null ? '–' : `${formatScore(v.reductionPercent, words.language)} %`,
      shape: v.shape === null ? '–' : words.page(`study.shapes.${v.shape}`),
    })),
    hasFractures: fractures.length > 0,
  };
}

/** Clinical-rules §7: the change since the prior study, per region, when the result has a comparison. */
export function comparisonView(study: AssessedStudy, words: FindingWords) {
  const comparison = study.classification.comparison;
  if (comparison === null) return null;
  const signed = (text: string) => (text.startsWith('-') ? text : `+${text}`);
  const months = words.letters.list('common', 'months');
  return {
    priorDate: formatDate(comparison.priorDate, months),
    priorCategory: categoryWord(words, comparison.priorCategory),
    quantitative: comparison.quantitative && comparison.rows.length > 0,
    rows: comparison.rows.map((row) => ({
      region: regionName(row.region, row.side, words),
      prior: formatBmd(row.priorBmd, words.language),
      current: formatBmd(row.currentBmd, words.language),
      delta: signed(formatBmd(row.deltaBmd, words.language)),
      percent: `${signed(formatScore(row.deltaPercent, words.language))} %`,
      lsc: formatBmd(row.lsc, words.language),
      assessment: words.page(!row.significant ? 'study.comparison.noChange' : row.deltaBmd < 0 ? 'study.comparison.decrease' : 'study.comparison.increase'),
      significant: row.significant,
    })),
  };
}
