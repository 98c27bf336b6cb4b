import { adviceFor, type Advice } from '../clinical/advice.ts';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { inLanguage, type LocalizedText } from '../config/localized-text.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { FragilityFracture } from '../model/classification.ts';
import { isSpineRange, type Region, type Side } from '../model/regions.ts';
import { VFA_LEVELS } from '../model/study.ts';
import { nameItems, parseDutchName, surname } from './dutch-name.ts';
import { addYears, formatDate, formatMonthYear, formatScore, joinWords } from './format.ts';
import { scannerName } from './scanner-name.ts';
import type { Templates } from './load-templates.ts';

/** The names every template may use (template-spec.ts VIEW_NAMES), all as ready-to-print text. */
export interface LetterView {
  department: { name: string; hospital: string; phone: string; phoneHours: string; email: string; address: string };
  signature: { name: string; title: string };
  letter: { date: string };
  patient: { reference: string; salutationName: string; birthDate: string; id: string; age: string };
  study: { date: string; accession: string; scanner: string; sites: string; patientSites: string };
  result: { indexScore: string; indexRegion: string; fractures: string };
  vfa: { assessed: string; notEvaluable: string; where: string; count: string };
  followUp: { years: string; date: string };
  comparison: { priorDate: string; priorCategory: string; changedRegions: string };
}

export function buildLetterView(study: AssessedStudy, config: DepartmentConfig, templates: Templates, letterDate: string): LetterView {
  const language = templates.language;
  const local = (value: LocalizedText) => inLanguage(value, language, config.language);
  const months = templates.list('common', 'months');
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, {}, item);
  const { patient, classification: c } = study;
  const name = patient.name ? parseDutchName(patient.name) : null;
  // meneer/mevrouw only with a known sex and a surname to follow it
  const sexKey = (patient.sex === 'female' || patient.sex === 'male') && name && surname(name) ? patient.sex : 'unknown';
  const nameItem = nameItems(name);
  const studyDate = study.study.studyDate;
  const followUpYears = c.category === null ? null : config.followUpYears[c.category];
  const fractures = c.vertebralFractures.filter((v) => v.evaluable && (v.grade ?? 0) >= 1).map((v) => v.level);

  return {
    department: {
      name: local(config.department.name),
      hospital: local(config.department.hospital),
      phone: config.department.phone,
      phoneHours: config.department.phoneHours === null ? '' : local(config.department.phoneHours),
      email: config.department.email ?? '',
      address: config.department.address.join(', '),
    },
    signature: { name: config.signature.name, title: local(config.signature.title) },
    letter: { date: formatDate(letterDate, months) },
    patient: {
      reference: common(`patientReference.${sexKey}`, nameItem),
      salutationName: common(`salutationName.${sexKey}`, nameItem),
      birthDate: patient.birthDate ? formatDate(patient.birthDate, months) : '–',
      id: patient.id ?? '–',
      age: c.age === null ? '–' : String(c.age),
    },
    study: {
      date: studyDate ? formatDate(studyDate, months) : '–',
      accession: study.study.accessionNumber ?? '–',
      scanner: scannerName(study.study.manufacturer, study.study.model) || '–',
      sites: joinWords(measuredSites(study).map((site) => common(`gpSites.${site}`)), common('gpSites.and')),
      patientSites: joinWords(measuredSites(study).map((site) => common(`patientSites.${site}`)), common('patientSites.and')),
    },
    result: {
      indexScore: c.indexScore === null ? '–' : formatScore(c.indexScore, language),
      indexRegion: c.indexRegion === null ? '–' : regionLabel(c.indexRegion, c.indexSide, templates),
      fractures: fractureWords(c.fragilityFractures, templates),
    },
    vfa: {
      assessed: levelRange(c.vertebrae.filter((v) => v.evaluable).map((v) => v.level)),
      notEvaluable: c.vertebrae.filter((v) => !v.evaluable).map((v) => v.level).join(', '),
      // where in the back, in the patient's words: never a level name such as T8
      where: joinWords(
        (['thoracic', 'lumbar'] as const)
          .filter((part) => fractures.some((level) => (part === 'lumbar') === level.startsWith('L')))
          .map((part) => templates.text('patient', `vfa.places.${part}`, {})),
        templates.text('patient', 'vfa.and', {}),
      ),
      count: String(fractures.length),
    },
    followUp: {
      years: followUpYears === null ? '' : String(followUpYears).replace('.', language === 'nl' ? ',' : '.'),
      date: followUpYears === null || studyDate === null ? '' : formatMonthYear(addYears(studyDate, followUpYears), months),
    },
    comparison: {
      priorDate: c.comparison ? formatDate(c.comparison.priorDate, months) : '',
      priorCategory: c.comparison?.priorCategory ? common(`categories.${c.comparison.priorCategory}`) : '–',
      changedRegions: joinWords(
        (c.comparison?.rows ?? []).filter((row) => row.significant).map((row) => regionLabel(row.region, row.side, templates)),
        common('gpSites.and'),
      ),
    },
  };
}

/** The fractures that count for severe osteoporosis, named as the GP letter names them: `wervelfractuur L1 en eerdere fractuur van de pols (2021)`. */
export function fractureWords(fractures: readonly FragilityFracture[], templates: Templates): string {
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, {}, item);
  return joinWords(
    fractures.map((f) =>
      f.source === 'vfa' ? common('fracture.vertebral', { level: f.site }) : common('fracture.history', { site: common(`fractureSites.${f.site}`), year: f.date?.slice(0, 4) ?? '' }),
    ),
    common('gpSites.and'),
  );
}

/** The advice of both letters of a study: a clinical output (src/clinical/advice.ts), worded by the templates. */
export function studyAdvice(study: AssessedStudy): Advice {
  return adviceFor({
    classification: study.classification,
    sex: study.patient.sex,
    fractureHistory: study.context.fractureHistory,
    birthDate: study.patient.birthDate,
  });
}

export type Site = 'spine' | 'hip' | 'bothHips' | 'forearm';

/** The skeletal sites measured, from the regions a letter may show. */
export function measuredSites(study: AssessedStudy): Site[] {
  const regions = study.measurements;
  const sites: Site[] = [];
  if (regions.some((m) => isSpineRange(m.region) || /^L[1-4]$/.test(m.region))) sites.push('spine');
  const hipSides = new Set(regions.filter((m) => m.region === 'femoral_neck' || m.region === 'total_hip').map((m) => m.side));
  if (hipSides.has('left') && hipSides.has('right')) sites.push('bothHips');
  else if (hipSides.size > 0) sites.push('hip');
  if (regions.some((m) => m.region.startsWith('radius'))) sites.push('forearm');
  return sites;
}

/** `femurhals links`, `LWK L1-L4` */
export function regionLabel(region: Region, side: Side, templates: Templates): string {
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, {}, item);
  const name = isSpineRange(region) ? common('regions.spine', { range: region }) : common(`regions.${region}`);
  return side === null ? name : `${name} ${common(`sides.${side}`)}`;
}

/** Levels in runs: `T4–L4`, or `T4, T7–L4` when some are missing; runs of two stay listed. */
function levelRange(levels: string[]): string {
  if (levels.length === 0) return '–';
  const indexes = levels.map((level) => VFA_LEVELS.indexOf(level as (typeof VFA_LEVELS)[number])).sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const index of indexes) {
    const run = runs[runs.length - 1];
    if (run && index === (run[run.length - 1] as number) + 1) run.push(index);
    else runs.push([index]);
  }
  return runs
    .map((run) => (run.length > 2 ? `${VFA_LEVELS[run[0] as number]}–${VFA_LEVELS[run[run.length - 1] as number]}` : run.map((i) => VFA_LEVELS[i]).join(', ')))
    .join(', ');
}
