import type { DepartmentConfig } from '../config/config-schema.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { isSpineRange, isVertebra } from '../model/regions.ts';
import type { Measurement } from '../model/study.ts';
import type { Flag } from '../model/flags.ts';
import type { Trend } from '../model/classification.ts';
import { fraxPlainText, type ScannerFraxRisk } from '../model/frax.ts';
import { gpAddressee } from './addressee.ts';
import { letterFrame, signatureBlock } from './compose-letter-frame.ts';
import type { SignOff } from './sign-off.ts';
import { formatBmd, formatDate, formatPercent, formatScore, signed } from './format.ts';
import type { Block, LetterDocument, TableRow } from './letter-document.ts';
import { regionLabel, studyAdvice, type LetterView } from './letter-view.ts';
import type { Templates } from './load-templates.ts';
import { scaleBlock, trendBlock } from './pictures/picture-blocks.ts';

/** The letter to the GP (clinical-rules §9): measurements, one diagnosis, NHG view, VFA, caveats, advice, follow-up. */
export function composeGpLetter(study: AssessedStudy, view: LetterView, config: DepartmentConfig, templates: Templates, signOff: SignOff): LetterDocument {
  const held = signOff.kind === 'draft';
  const t = (key: string, item?: Record<string, unknown>) => templates.text('gp', key, view, item);
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, view, item);
  const c = study.classification;
  const blocks: Block[] = [{ kind: 'paragraph', text: t('salutation') }, { kind: 'paragraph', text: t('intro') }];

  const { rows, others } = tableRegions(study);
  if (rows.length > 0) {
    const language = templates.language;
    const number = (value: number | null, format: (v: number) => string) => (value === null ? '–' : format(value));
    const score = (value: number | null) => number(value, (v) => formatScore(v, language));
    // On the Z and paediatric paths T-scores do not apply: the column is left out, with a note why.
    const withT = c.path === 'T';
    const tableRows: TableRow[] = rows.map((m) => {
      const isIndex = m.region === c.indexRegion && m.side === c.indexSide;
      return {
        cells: [
          `${regionLabel(m.region, null, templates)}${isIndex ? ' *' : ''}`,
          m.side === null ? '' : common(`sides.${m.side}`),
          number(m.bmd, (v) => formatBmd(v, language)),
          ...(withT ? [score(m.tScore)] : []),
          score(m.zScore),
        ],
        emphasis: isIndex,
      };
    });
    const notes: string[] = [];
    if (tableRows.some((row) => row.emphasis)) notes.push(t('table.indexNote'));
    if (!withT) notes.push(t(`table.noTScores.${c.path}`));
    const listed = others.filter((m) => m.zScore !== null || (withT && m.tScore !== null));
    if (config.letters.otherRegions === 'list' && listed.length > 0) {
      const item = (m: Measurement) =>
        t(withT ? 'table.otherRegion' : 'table.otherRegionZ', { region: regionLabel(m.region, m.side, templates), t: score(m.tScore), z: score(m.zScore) });
      notes.push(t('table.otherRegions', { regions: listed.map(item).join('; ') }));
    }
    blocks.push({ kind: 'heading', text: t('table.heading') }, {
      kind: 'table',
      columns: [
        { title: t('table.region'), align: 'left', width: withT ? 0.34 : 0.4 },
        { title: t('table.side'), align: 'left', width: withT ? 0.15 : 0.18 },
        { title: t('table.bmd'), align: 'right', width: withT ? 0.19 : 0.22 },
        ...(withT ? [{ title: t('table.tScore'), align: 'right' as const, width: 0.16 }] : []),
        { title: t('table.zScore'), align: 'right', width: withT ? 0.16 : 0.2 },
      ],
      rows: tableRows,
      note: notes.length > 0 ? notes.join('\n') : null,
    });
  }

  blocks.push({ kind: 'heading', text: t('diagnosis.heading') }, { kind: 'paragraph', text: t(`diagnosis.${c.category ?? 'none'}`), bold: true });
  if (c.path !== 'T' && c.category !== null) blocks.push({ kind: 'paragraph', text: t('diagnosis.zScoresUsed') });
  if (c.nhgBinary !== null) blocks.push({ kind: 'paragraph', text: t(`nhg.${c.nhgBinary}`) });
  if (config.letters.pictures.scale.gp) blocks.push(...scaleBlock(c, templates, 'gp'));

  blocks.push(...comparisonBlocks(study, t, common, templates));
  if (config.letters.pictures.trend.gp) blocks.push(...trendBlocks(c.trend, t, templates));

  blocks.push({ kind: 'heading', text: t('vfa.heading') });
  if (c.vertebrae.length === 0) {
    blocks.push({ kind: 'paragraph', text: t('vfa.notDone') });
  } else {
    const lines = [t('vfa.assessed')];
    if (c.vertebrae.some((v) => !v.evaluable)) lines.push(t('vfa.notEvaluable'));
    if (c.vertebralFractures.length === 0) lines.push(t('vfa.noFracture'));
    blocks.push({ kind: 'paragraph', text: lines.join(' ') });
    if (c.vertebralFractures.length > 0) {
      blocks.push({
        kind: 'bullets',
        items: c.vertebralFractures.map((v) => t('vfa.fracture', { level: v.level, grade: v.grade, gradeWord: common(`genantGrades.${v.grade}`) })),
      });
    }
  }

  blocks.push(...fraxBlocks(study, t, templates));

  const caveats = c.flags.filter((f) => f.code !== 'SECONDARY_CAUSE_WORKUP');
  if (caveats.length > 0) {
    blocks.push({ kind: 'heading', text: t('flagsHeading') }, {
      kind: 'bullets',
      items: [...new Set(caveats.map((f) => flagSentence(f, common, templates)))],
    });
  }

  blocks.push({ kind: 'heading', text: t('advice.heading') }, { kind: 'bullets', items: studyAdvice(study).gp.map((id) => t(`advice.${id}`)) });
  blocks.push({ kind: 'paragraph', text: t(view.followUp.years ? 'followUp.years' : 'followUp.none') });
  blocks.push(signatureBlock(view, t('closing'), signOff, templates));

  return { ...letterFrame('gp', view, config, templates, held), addressee: gpAddressee(study, view, config, templates), title: t('title'), subject: t('subject'), blocks };
}

/**
 * The GP letter's table (clinical-rules §2, §9): the regions the diagnosis considered, as the
 * classification lists them, in reporting order; and the others that a department may list in
 * small print (spine ranges not used, Ward's, trochanter, the other hip and forearm sub-regions).
 * Single vertebrae and the bilateral hip mean are never shown.
 */
export function tableRegions(study: AssessedStudy): { rows: Measurement[]; others: Measurement[] } {
  const considered = new Set(study.classification.diagnosticValues.map((v) => `${v.region}|${v.side}`));
  const rows: Measurement[] = [];
  const others: Measurement[] = [];
  for (const m of study.measurements) {
    if (m.side === 'mean' || isVertebra(m.region)) continue;
    if (isSpineRange(m.region) && m.side !== null) continue;
    (considered.has(`${m.region}|${m.side}`) ? rows : others).push(m);
  }
  return { rows, others };
}

type Words = (key: string, item?: Record<string, unknown>) => string;

/**
 * A flag's caveat in the GP letter, saying what the service knows: the sentence of its variant, with
 * its subject and details (scores with a decimal comma in Dutch, a category in words).
 */
export function flagSentence(f: Flag, common: Words, templates: Templates): string {
  const item: Record<string, unknown> = { subject: f.subject ?? '' };
  for (const [name, value] of Object.entries(f.details ?? {})) {
    if (name === 'category') item[name] = common(`categories.${value}`);
    else if (typeof value === 'number') item[name] = /score$/i.test(name) || !Number.isInteger(value) ? formatScore(value, templates.language) : String(value);
    else item[name] = value;
  }
  return common(f.variant ? `flags.${f.code}.${f.variant}` : `flags.${f.code}`, item);
}

/**
 * The scanner's FRAX, when the export carries it: the 10-year risks and the risk factors it used,
 * labelled as the scanner's calculation, or its reason for not reporting them. For information
 * only: the classification and the advice never read it. The free text was checked for characters
 * no letter can print (clinical/unprintable-text.ts), which holds the letter for review.
 */
function fraxBlocks(study: AssessedStudy, t: Words, templates: Templates): Block[] {
  const frax = study.frax;
  if (frax === undefined) return [];
  const blocks: Block[] = [{ kind: 'heading', text: t('frax.heading') }];
  if (!frax.reported) return [...blocks, { kind: 'paragraph', text: t('frax.notReported', { reason: fraxPlainText(frax.reason) }) }];
  const percent = (value: number | null) => (value === null ? '–' : formatPercent(value, templates.language));
  const line = (key: string, pick: (risk: ScannerFraxRisk) => number | null) =>
    pick(frax.majorOsteoporotic) === null && pick(frax.hip) === null ? [] : [t(key, { major: percent(pick(frax.majorOsteoporotic)), hip: percent(pick(frax.hip)) })];
  const items = [...line('frax.withoutPriorFracture', (r) => r.withoutPriorFracture), ...line('frax.withPriorFracture', (r) => r.withPriorFracture)];
  const riskFactors = frax.riskFactors === null ? '' : fraxPlainText(frax.riskFactors);
  if (riskFactors !== '') items.push(t('frax.riskFactors', { riskFactors }));
  return [...blocks, { kind: 'paragraph', text: t('frax.label') }, { kind: 'bullets', items }];
}

/** §7 over time: the BMD on this scanner type since the first comparable study, drawn. */
function trendBlocks(trend: Trend | null, t: Words, templates: Templates): Block[] {
  const picture = trendBlock(trend, templates);
  if (picture.length === 0 || trend === null) return [];
  const first = trend.series.flatMap((series) => series.points.map((point) => point.date)).sort()[0]!;
  return [{ kind: 'heading', text: t('trend.heading') }, { kind: 'paragraph', text: t('trend.intro', { since: formatDate(first, templates.list('common', 'months')) }) }, ...picture];
}

/** Clinical-rules §7: the table of changes since the prior, or only the prior category when the scanners differ. */
function comparisonBlocks(study: AssessedStudy, t: Words, common: Words, templates: Templates): Block[] {
  const comparison = study.classification.comparison;
  if (!comparison) return [];
  const blocks: Block[] = [{ kind: 'heading', text: t('comparison.heading') }];
  if (!comparison.quantitative || comparison.rows.length === 0) {
    return [...blocks, { kind: 'paragraph', text: t('comparison.notQuantitative') }];
  }
  const language = templates.language;
  blocks.push({ kind: 'paragraph', text: t('comparison.intro') }, {
    kind: 'table',
    columns: [
      { title: t('comparison.region'), align: 'left', width: 0.16 },
      { title: t('comparison.side'), align: 'left', width: 0.09 },
      { title: t('comparison.prior'), align: 'right', width: 0.14 },
      { title: t('comparison.current'), align: 'right', width: 0.14 },
      { title: t('comparison.change'), align: 'right', width: 0.1 },
      { title: t('comparison.changePercent'), align: 'right', width: 0.07 },
      { title: t('comparison.assessment'), align: 'left', width: 0.3 },
    ],
    rows: comparison.rows.map((row) => ({
      cells: [
        regionLabel(row.region, null, templates),
        row.side === null ? '' : common(`sides.${row.side}`),
        formatBmd(row.priorBmd, language),
        formatBmd(row.currentBmd, language),
        signed(formatBmd(row.deltaBmd, language)),
        signed(formatScore(row.deltaPercent, language)),
        t(!row.significant ? 'comparison.noSignificantChange' : row.deltaBmd < 0 ? 'comparison.significantDecrease' : 'comparison.significantIncrease'),
      ],
      emphasis: row.significant,
    })),
    note: null,
  });
  blocks.push({ kind: 'paragraph', text: t(comparison.rows.some((row) => row.significant) ? 'comparison.summaryChange' : 'comparison.summaryNoChange') });
  return blocks;
}
