import { basename } from 'node:path';
import { formatDate } from '../letters/format.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { ContextProvenance, FractureHistory } from '../model/clinical-context.ts';
import { contextOf } from './context-form-view.ts';
import { formatMoment } from './format-view.ts';
import { common, shown, type FindingWords } from './study-findings.ts';

type Origin = NonNullable<ContextProvenance['menopausalStatus']> | NonNullable<ContextProvenance['fractureHistory']> | NonNullable<ContextProvenance['gp']>;

/**
 * The clinical context the version was classified with, each value with where it came from (the
 * scanner's export, a sidecar, an entry on this workstation) and what it overruled; a result
 * stored before provenance was kept says what it can (contextOf).
 */
export function contextView(study: AssessedStudy, words: FindingWords) {
  const { context, provenance } = contextOf(study);
  const { patient } = study;
  const page = words.page;
  const months = words.letters.list('common', 'months');
  const notGiven = page('study.context.notGiven');
  const scanner = page('study.context.fromScanner');
  const entry = provenance.entry;
  const from = (origin: Pick<Origin, 'source' | 'file'>): string => {
    switch (origin.source) {
      case 'scanner':
        return scanner;
      case 'sidecar':
        return `${page('study.context.fromSidecar')} ${origin.file === undefined ? '' : shown(basename(origin.file))}`.trim();
      case 'entered':
        return entry === undefined ? page('study.context.entered') : `${page('study.context.entered')} ${shown(entry.enteredBy)}, ${formatMoment(entry.enteredAt, words.language)}`;
    }
  };
  const menopause = (status: string) => page(`study.menopause.${status}`);
  // the scanner's status says which age at menopause gave it, so a reviewer can find it on the scanner
  const menopauseAge = study.scannerContext?.menopauseAge;
  const fromForStatus = (origin: Pick<Origin, 'source' | 'file'>): string =>
    origin.source === 'scanner' && menopauseAge !== undefined ? `${scanner}, ${page('study.context.menopauseAge')} ${menopauseAge}` : from(origin);
  const fractures = (history: readonly FractureHistory[]) =>
    history.length === 0
      ? page('study.context.none')
      : history.map((f) => `${common(words, `fractureSites.${f.site}`)} (${f.date ?? (f.ageAtFracture === undefined ? '–' : `${f.ageAtFracture} ${page('study.patient.years')}`)}, ${page(`study.energy.${f.energy}`)})`).join('; ');
  const gp = (value: { name: string; practice?: string | undefined; address: readonly string[] } | undefined) => (value === undefined ? '–' : shown([value.name, value.practice, ...value.address].filter(Boolean).join(', ')));
  const physician = study.study.referringPhysician;
  const overruled = (origin: Origin | undefined, said: (value: never) => string, source = from): string | null =>
    origin?.overruled === undefined ? null : `${page('study.context.overrules')} ${said(origin.overruled.value as never)} (${source(origin.overruled)})`;

  return {
    rows: [
      { label: page('study.patient.sex'), value: patient.sex === null ? '–' : page(`study.sexes.${patient.sex}`), source: patient.sex === null ? notGiven : scanner, overruled: null },
      { label: page('study.patient.birthDate'), value: patient.birthDate === null ? '–' : formatDate(patient.birthDate, months), source: patient.birthDate === null ? notGiven : scanner, overruled: null },
      {
        label: page('study.context.menopause'),
        value: menopause(context.menopausalStatus),
        source: provenance.menopausalStatus ? fromForStatus(provenance.menopausalStatus) : notGiven,
        overruled: overruled(provenance.menopausalStatus, menopause, fromForStatus),
      },
      {
        label: page('study.context.fractures'),
        value: fractures(context.fractureHistory),
        source: provenance.fractureHistory ? from(provenance.fractureHistory) : notGiven,
        overruled: overruled(provenance.fractureHistory, fractures),
      },
      {
        label: page('study.context.gp'),
        value: context.gp ? gp(context.gp) : shown(physician ? [physician.prefix, physician.given, physician.family].filter(Boolean).join(' ') : null),
        source: provenance.gp ? from(provenance.gp) : physician ? scanner : notGiven,
        overruled: overruled(provenance.gp, gp),
      },
    ],
    entry: entry === undefined ? null : { by: shown(entry.enteredBy), at: formatMoment(entry.enteredAt, words.language), reason: shown(entry.reason) },
  };
}
