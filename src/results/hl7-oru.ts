/**
 * An HL7 v2.5 ORU^R01 (unsolicited observation result) of one version of a study, for the
 * hospital's record or its integration engine:
 *
 * - MSH: sending and receiving application and facility from `hospital:`, the message control ID
 *   stable per study, version and destination (a resend is recognisably the same message), v2.5,
 *   UTF-8;
 * - PID: patient ID with its assigning authority (CX, type PI), the name (XPN) with the Dutch
 *   tussenvoegsel as the own surname prefix (FN.2) beside the own surname (FN.3), birth date, sex;
 * - PV1: outpatient, nothing more;
 * - ORC and OBR: the accession number as filler order number, the referring physician as ordering
 *   provider, the study date, result status F (final), C (a later, corrected version) or P (held
 *   for review);
 * - OBX: one per value (NM: BMD in g/cm2, T-score, Z-score per region and side; LOINC where it has
 *   the site, else local), the category (CWE), the NHG statement (CWE), the GP letter's text (FT),
 *   and the configured letters as PDF (ED, base64).
 *
 * Every text is escaped (hl7-escape.ts). The message is built with @medplum/core's Hl7Message.
 */
import { createHash } from 'node:crypto';
import { Hl7Message, Hl7Segment } from '@medplum/core';
import { parseDutchName } from '../letters/dutch-name.ts';
import type { PersonName } from '../model/study.ts';
import { components, escapeHl7, escapeHl7Text, subcomponents } from './hl7-escape.ts';
import { conclusionOf, resultStatus, type ResultInput, type ResultStatus } from './result-input.ts';
import { CATEGORY_DISPLAY, DXA_REPORT_LOINC, formatValue, resultValues, UNITS, type ResultValue } from './result-values.ts';

export interface OruOptions {
  /** the destination the message is for: part of its control ID */
  destination: string;
  /** when the message is made (MSH-7) */
  at: Date;
}

const HL7_STATUS: Record<ResultStatus, 'F' | 'C' | 'P'> = { final: 'F', corrected: 'C', preliminary: 'P' };

/** MSH-10: the same for every send of one version to one destination, and for no other. */
export function messageControlId(studyInstanceUid: string, version: number, destination: string): string {
  return createHash('sha256').update(`${studyInstanceUid}\0${version}\0${destination}`).digest('hex').slice(0, 20).toUpperCase();
}

/** HL7 DTM `YYYYMMDDHHMMSS+0000` in UTC. */
function timestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}+0000`;
}

/** HL7 DT from an ISO date. */
const hl7Date = (iso: string | null) => (iso === null ? '' : iso.replace(/-/g, ''));

const SEX: Record<string, string> = { female: 'F', male: 'M', other: 'O' };

/** XPN / the name part of XCN: `Family&tussenvoegsel&Family^Given^^^Title`; the family component in FN subcomponents. */
function dutchNameComponents(name: PersonName | null | undefined): { family: string; given: string; title: string } {
  if (!name) return { family: '', given: '', title: '' };
  const dutch = parseDutchName(name);
  const family = dutch.family === '' ? '' : subcomponents(dutch.family, dutch.tussenvoegsel, dutch.family);
  return { family, given: escapeHl7(dutch.given || dutch.initials), title: escapeHl7(dutch.title) };
}

function patientName(name: PersonName | null): string {
  const { family, given, title } = dutchNameComponents(name);
  if (family === '' && given === '') return '';
  // XPN.5 prefix (a title), XPN.7 name type L (legal)
  return components(family, given, '', '', title, '', 'L');
}

function physician(name: PersonName | null | undefined): string {
  const { family, given, title } = dutchNameComponents(name);
  if (family === '' && given === '') return '';
  // XCN.1 ID (none), XCN.2 family, XCN.3 given, XCN.6 prefix (a title)
  return components('', family, given, '', '', title);
}

/** CWE: `code^text^LN` with the local code as alternate, or the local code alone. */
function valueCode(value: ResultValue): string {
  const local = [escapeHl7(value.localCode), escapeHl7(value.localDisplay), 'L'];
  return value.loinc === null ? components(...local) : components(value.loinc.code, escapeHl7(value.loinc.display), 'LN', ...local);
}

/** The ORU^R01 as text: segments separated by CR, as MLLP carries it. */
export function buildOruMessage(input: ResultInput, options: OruOptions): string {
  return buildOru(input, options).toString();
}

export function buildOru(input: ResultInput, options: OruOptions): Hl7Message {
  const { study, config } = input;
  const h = config.hospital;
  const status = HL7_STATUS[resultStatus(input)];
  const accession = escapeHl7(study.study.accessionNumber ?? '');
  const studyDate = hl7Date(study.study.studyDate);
  const patient = study.patient;
  const segments: string[][] = [];

  segments.push([
    'MSH', '^~\\&', escapeHl7(h.sendingApplication), escapeHl7(h.sendingFacility), escapeHl7(h.receivingApplication), escapeHl7(h.receivingFacility),
    timestamp(options.at), '', 'ORU^R01^ORU_R01', messageControlId(study.study.studyInstanceUid, input.version, options.destination), 'P', '2.5',
    '', '', '', '', 'NLD', 'UNICODE UTF-8',
  ]);
  const issuer = patient.issuer ?? config.store.localIssuer;
  const patientId = patient.id === null ? '' : components(escapeHl7(patient.id), '', '', escapeHl7(issuer), 'PI');
  segments.push(['PID', '1', '', patientId, '', patientName(patient.name), '', hl7Date(patient.birthDate), patient.sex === null ? 'U' : (SEX[patient.sex] ?? 'U')]);
  segments.push(['PV1', '1', 'O']);
  const referring = physician(study.study.referringPhysician);
  const filler = components(accession, escapeHl7(h.sendingApplication));
  // ORC-1 RE: observations to follow; ORC-3 filler order number; ORC-5 CM: complete; ORC-12 ordering provider
  segments.push(['ORC', 'RE', '', filler, '', 'CM', '', '', '', '', '', '', referring]);
  const obr = ['OBR', '1', '', filler, components(DXA_REPORT_LOINC.code, escapeHl7(DXA_REPORT_LOINC.display), 'LN'), '', '', studyDate];
  obr[16] = referring;
  obr[22] = timestamp(options.at);
  obr[24] = 'RAD';
  obr[25] = status;
  segments.push(Array.from(obr, (field) => field ?? ''));

  let setId = 0;
  // v2.5 ends OBX at OBX-19 (the observation site, OBX-20, came with v2.7): the region and side are
  // in the sub-ID (OBX-4) and the local code, the site in the LOINC code where LOINC has one
  const obx = (type: string, code: string, subId: string, value: string, units = '') => {
    setId += 1;
    segments.push(['OBX', String(setId), type, code, subId, value, units, '', '', '', '', status, '', '', studyDate]);
  };
  for (const value of resultValues(study)) {
    const unit = UNITS[value.quantity];
    obx('NM', valueCode(value), escapeHl7(`${value.region}${value.side === null ? '' : `-${value.side}`}`), formatValue(value), components(escapeHl7(unit.hl7), escapeHl7(unit.hl7), 'UCUM'));
  }
  const c = study.classification;
  const { nhg } = conclusionOf(input);
  if (c.category !== null) obx('CWE', components('category', 'DXA category', 'L'), '', components(c.category, escapeHl7(CATEGORY_DISPLAY[c.category]), 'L'));
  if (c.nhgBinary !== null && nhg !== null) obx('CWE', components('nhg', 'NHG statement', 'L'), '', components(c.nhgBinary, escapeHl7(nhg), 'L'));
  if (input.gpLetterText !== null) obx('FT', components('gp-letter', 'GP letter', 'L'), '', escapeHl7Text(input.gpLetterText));
  for (const kind of h.embedPdfs) {
    const pdf = input.letters[kind];
    if (pdf === null) continue;
    const label = kind === 'gp' ? 'GP letter (PDF)' : 'Patient letter (PDF)';
    // ED: source application ^ type of data ^ data subtype ^ encoding ^ data; base64 has no HL7 delimiter
    obx('ED', components(`${kind}-letter-pdf`, label, 'L'), '', components(escapeHl7(h.sendingApplication), 'AP', 'PDF', 'Base64', pdf.toString('base64')));
  }
  return new Hl7Message(segments.map((fields) => new Hl7Segment(fields)));
}
