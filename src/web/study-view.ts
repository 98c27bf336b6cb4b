import type { FastifyRequest } from 'fastify';
import { formatDate } from '../letters/format.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import type { PersonName } from '../model/study.ts';
import type { AuditEntry } from '../store/audit-log.ts';
import type { Delivery } from '../store/deliveries.ts';
import type { LetterRecord } from '../store/letter-records.ts';
import type { StudyVersion } from '../store/study-history.ts';
import type { StudyRecord } from '../store/study-records.ts';
import { contextFormView } from './context-form-view.ts';
import { text } from './guard.ts';
import { formatMoment } from './format-view.ts';
import { letterWords } from './letter-words.ts';
import { contextView } from './study-context.ts';
import { categoryWord, classificationView, comparisonView, shown, valuesView, vfaView, type FindingWords } from './study-findings.ts';
import type { WebContext } from './web-context.ts';

/** Everything the study page shows of one study, read from the store in one go. */
export interface StudyData {
  study: StudyRecord;
  /** the current version's stored result; null before the first version */
  result: AssessedStudy | null;
  versions: StudyVersion[];
  letters: LetterRecord[];
  /** the outbox: each released version to each destination */
  deliveries: Delivery[];
  audit: AuditEntry[];
}

export async function readStudy(ctx: WebContext, id: number): Promise<StudyData | null> {
  const study = await ctx.store.studies.byId(id);
  if (study === null) return null;
  const [result, versions, letters, deliveries, audit] = await Promise.all([
    study.version > 0 ? ctx.store.studies.storedResult(study, study.version) : Promise.resolve(null),
    ctx.store.history.versions(study.id),
    ctx.store.history.letters(study.id),
    ctx.store.deliveries.ofStudy(study.id),
    ctx.store.audit.of(study.id),
  ]);
  return { study, result, versions, letters, deliveries, audit };
}

/** The patient's name as the export writes it (family, then given names), every part shown as text. */
export function exportedName(name: PersonName | null): string {
  if (name === null) return '–';
  const given = [name.prefix, name.given, name.middle].filter(Boolean).join(' ');
  const whole = [name.family, given].filter(Boolean).join(', ');
  return shown([whole, name.suffix].filter(Boolean).join(' '));
}

const STATE_CLASS: Record<string, string> = { held: 'held', released: 'released', approved: 'approved', amended: 'amended', delivered: 'delivered', rejected: 'error', superseded: 'superseded', received: 'received' };

/** The study page's view: the keys pages/study.html (and the sign-off and context-form partials) use. */
export async function studyView(ctx: WebContext, request: FastifyRequest, data: StudyData): Promise<Record<string, unknown>> {
  const language = request.language;
  const page = (key: string) => text(ctx, request, key);
  const words: FindingWords = { page, letters: await letterWords(ctx, language), language };
  const months = words.letters.list('common', 'months');
  const { study, result } = data;
  const date = (iso: string | null | undefined) => (iso ? formatDate(iso, months) : '–');
  const state = (name: string) => ({ word: page(`study.states.${name}`), class: STATE_CLASS[name] ?? '' });
  // the current version's letters as they stand: drafts, released, or rejected (a superseded draft is history)
  const current = data.letters.filter((letter) => letter.version === study.version && letter.inPlace && letter.state !== 'superseded');
  const classification = result && classificationView(result, words);
  const letterUrl = (letter: LetterRecord) => `${ctx.basePath}studies/${study.id}/letters/${letter.id}.pdf`;

  return {
    study: {
      id: study.id,
      version: study.version,
      uid: study.studyUid,
      isHeld: study.state === 'held' && study.dueAt === null,
      pending: study.dueAt !== null,
      state: state(study.state),
      date: date(result?.study.studyDate ?? study.studyDate),
      accession: shown(result?.study.accessionNumber ?? study.accession),
      description: shown(result?.study.description),
      institution: shown(result?.study.institution),
    },
    patient: result && {
      name: exportedName(result.patient.name),
      id: shown(result.patient.id),
      issuer: result.patient.issuer ? shown(result.patient.issuer) : null,
      birthDate: date(result.patient.birthDate),
      age: result.classification.age === null ? '–' : `${result.classification.age} ${page('study.patient.years')}`,
      sex: result.patient.sex === null ? '–' : page(`study.sexes.${result.patient.sex}`),
    },
    scanner: result && {
      manufacturer: shown(result.study.manufacturer),
      model: shown(result.study.model),
      software: shown(result.study.softwareVersion),
      serial: shown(result.study.deviceSerialNumber),
      referenceDatabase: shown(result.study.referenceDatabase),
    },
    values: result && valuesView(result, words),
    classification,
    heldBecause: classification !== null && study.state === 'held' ? classification.holdingFlags : null,
    vfa: result && vfaView(result, words),
    comparison: result && comparisonView(result, words),
    clinicalContext: result && contextView(result, words),
    shownLetters: current.map((letter) => ({
      id: letter.id,
      kind: page(`study.letterKinds.${letter.kind}`),
      url: letterUrl(letter),
      state: state(letter.state === 'review' ? 'held' : letter.state),
      sha256: letter.sha256 ?? '–',
    })),
    hasLetters: current.length > 0,
    // the sign-off form names exactly the drafts shown (id and SHA-256)
    letters: current.filter((letter) => letter.state === 'review' && letter.sha256 !== null).map((letter) => ({ id: letter.id, kind: page(`study.letterKinds.${letter.kind}`), sha256: letter.sha256 })),
    versions: [...data.versions].reverse().map((version) => ({
      ...versionRow(version, study, data.audit, page, (category) => categoryWord(words, category), state, language),
      letters: data.letters.filter((letter) => letter.version === version.version && letter.inPlace).map((letter) => ({ kind: page(`study.letterKinds.${letter.kind}`), url: letterUrl(letter), state: state(letter.state === 'review' ? 'held' : letter.state).word })),
    })),
    // newest version first; a failed one says how to try it again
    deliveries: [...data.deliveries].reverse().map((d) => ({
      id: d.id,
      version: d.version,
      destination: shown(d.destination),
      state: { word: page(`study.deliveryStates.${d.state}`), class: d.state === 'pending' ? 'held' : d.state },
      attempts: d.attempts,
      deliveredAt: d.deliveredAt === null ? '–' : formatMoment(d.deliveredAt, language),
      nextAttempt: d.state === 'pending' && d.attempts > 0 ? formatMoment(d.nextAttemptAt, language) : '–',
      lastError: d.lastError === null ? '–' : shown(d.lastError),
      isFailed: d.state === 'failed',
    })),
    hasDeliveries: data.deliveries.length > 0,
    audit: data.audit.map((entry) => ({ at: formatMoment(entry.at, language), action: entry.action, actor: entry.actor ?? page('study.service'), detail: shown(entry.detail) })),
    contextForm: await contextFormView(ctx, request, { id: study.id, studyUid: study.studyUid, version: study.version }),
  };
}

/** One version in the history: when it was made, its result, its state now, and who acted on it. */
function versionRow(version: StudyVersion, study: StudyRecord, audit: AuditEntry[], page: (key: string) => string, category: (value: string | null) => string, state: (name: string) => { word: string; class: string }, language: FastifyRequest['language']) {
  const isCurrent = version.version === study.version;
  const acts = audit.filter((entry) => new RegExp(`^version ${version.version}\\b`).test(entry.detail));
  const who = acts.map((entry) => `${entry.action} (${entry.actor ?? page('study.service')})`);
  return {
    version: version.version,
    at: formatMoment(version.createdAt, language),
    category: category(version.category),
    state: state(isCurrent ? study.state : 'superseded'),
    who: who.length > 0 ? who.join(', ') : page('study.service'),
    isCurrent,
  };
}
