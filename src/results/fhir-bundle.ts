/**
 * A FHIR R4 transaction Bundle of one version of a study: the Patient, one Observation per value
 * (result-values.ts: LOINC where it has the site, else the department's local code; the body site
 * and laterality in SNOMED CT; UCUM units), and a DiagnosticReport (LOINC 38269-7) holding them,
 * with the GP letter's conclusion and the GP letter itself as PDF.
 *
 * Every entry is a conditional create (POST with ifNoneExist) by an identifier that is the same
 * for every build of this version: a retry, or a resend after a crash, never makes a second
 * Patient, Observation or report. The identifiers are minted under `hospital.identifierSystem`
 * from the StudyInstanceUID, the version, and the region, side and quantity.
 *
 * The bundle is checked (fhir-validate.ts) before it is returned.
 */
import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, CodeableConcept, Coding, DiagnosticReport, Extension, HumanName, Identifier, Observation, Organization, Patient, Reference } from '@medplum/fhirtypes';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { parseDutchName, surname } from '../letters/dutch-name.ts';
import type { Category } from '../model/classification.ts';
import { validateResultBundle } from './fhir-validate.ts';
import { conclusionOf, departmentName, resultStatus, type ResultInput, type ResultStatus } from './result-input.ts';
import {
  CATEGORY_DISPLAY, DXA_REPORT_LOINC, LOINC_SYSTEM, resultValues, SNOMED_LATERALITY, SNOMED_SYSTEM, snomedSiteOf, UCUM_SYSTEM, UNITS, type ResultValue,
} from './result-values.ts';

export interface BundleOptions {
  /** when the bundle is made: the report's issued time */
  at: Date;
}

/** nl-core (Nictiz) laterality of an anatomical location: R4's bodySite has no laterality of its own. */
export const LATERALITY_EXTENSION = 'http://nictiz.nl/fhir/StructureDefinition/ext-AnatomicalLocation.Laterality';
const OWN_PREFIX = 'http://hl7.org/fhir/StructureDefinition/humanname-own-prefix';
const OWN_NAME = 'http://hl7.org/fhir/StructureDefinition/humanname-own-name';

const FHIR_STATUS: Record<ResultStatus, 'final' | 'amended' | 'preliminary'> = { final: 'final', corrected: 'amended', preliminary: 'preliminary' };

/** A name under the department's URN or URL: `urn:x:y` + `observation` → `urn:x:y:observation`. */
export function systemUnder(base: string, name: string): string {
  return base.startsWith('urn:') ? `${base}:${name}` : `${base.replace(/\/$/, '')}/${name}`;
}

/** The systems of the identifiers and local codes this department makes. */
export function resultSystems(config: DepartmentConfig) {
  const base = config.hospital.identifierSystem;
  return {
    report: systemUnder(base, 'diagnostic-report'),
    observation: systemUnder(base, 'observation'),
    code: systemUnder(base, 'code'),
    category: systemUnder(base, 'category'),
    studyPatient: systemUnder(base, 'study-patient'),
    patientId: (issuer: string) => config.hospital.patientIdSystem ?? systemUnder(systemUnder(base, 'patient-id'), encodeURIComponent(issuer || 'local')),
  };
}

/** A UUID made from a stable identifier: the same entry has the same fullUrl in every build. */
function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function conditional(resourceType: string, identifier: Identifier): BundleEntry['request'] {
  return { method: 'POST', url: resourceType, ifNoneExist: `identifier=${encodeURIComponent(identifier.system!)}|${encodeURIComponent(identifier.value!)}` };
}

function categoryConcept(system: string, category: Category): CodeableConcept {
  return { coding: [{ system, code: category, display: CATEGORY_DISPLAY[category] }], text: CATEGORY_DISPLAY[category] };
}

function patientResource(input: ResultInput, identifier: Identifier): Patient {
  const { patient } = input.study;
  const resource: Patient = { resourceType: 'Patient', identifier: [identifier] };
  if (patient.name) {
    const dutch = parseDutchName(patient.name);
    const family = surname(dutch);
    const name: HumanName & { _family?: { extension: Extension[] } } = { use: 'official' };
    if (family) {
      name.family = family;
      name._family = { extension: [...(dutch.tussenvoegsel ? [{ url: OWN_PREFIX, valueString: dutch.tussenvoegsel }] : []), { url: OWN_NAME, valueString: dutch.family }] };
    }
    if (dutch.given) name.given = dutch.given.split(' ');
    else if (dutch.initials) name.given = [dutch.initials];
    if (dutch.title) name.prefix = [dutch.title];
    if (family || name.given) resource.name = [name];
  }
  if (patient.birthDate !== null) resource.birthDate = patient.birthDate;
  resource.gender = patient.sex ?? 'unknown';
  return resource;
}

function valueCode(value: ResultValue, codeSystem: string): CodeableConcept {
  const coding: Coding[] = [];
  if (value.loinc !== null) coding.push({ system: LOINC_SYSTEM, code: value.loinc.code, display: value.loinc.display });
  coding.push({ system: codeSystem, code: value.localCode, display: value.localDisplay });
  return { coding, text: value.localDisplay };
}

function bodySite(value: ResultValue): CodeableConcept {
  const site = snomedSiteOf(value.region);
  const concept: CodeableConcept = { coding: [{ system: SNOMED_SYSTEM, code: site.code, display: site.display }], text: `${value.region}${value.side === null ? '' : ` ${value.side}`}` };
  if (value.side !== null) {
    const side = SNOMED_LATERALITY[value.side];
    concept.extension = [{ url: LATERALITY_EXTENSION, valueCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, code: side.code, display: side.display }] } }];
  }
  return concept;
}

/** The transaction Bundle of one version of a study, checked before it is returned. */
export function buildResultBundle(input: ResultInput, options: BundleOptions): Bundle {
  const { study, config, templates, version } = input;
  const systems = resultSystems(config);
  const uid = study.study.studyInstanceUid;
  const status = FHIR_STATUS[resultStatus(input)];
  const entries: BundleEntry[] = [];

  const patientIdentifier: Identifier =
    study.patient.id === null
      ? { system: systems.studyPatient, value: uid }
      : { system: systems.patientId(study.patient.issuer ?? config.store.localIssuer), value: study.patient.id };
  const patientUrl = stableUuid(`Patient|${patientIdentifier.system}|${patientIdentifier.value}`);
  entries.push({ fullUrl: patientUrl, resource: patientResource(input, patientIdentifier), request: conditional('Patient', patientIdentifier) });
  const subject: Reference<Patient> = { reference: patientUrl };

  const performer: Reference<Organization> = { display: departmentName(config, templates) };
  const effective = study.study.studyDate ?? undefined;
  const results: Reference<Observation>[] = [];
  for (const value of resultValues(study)) {
    const identifier: Identifier = { system: systems.observation, value: `${uid}-v${version}-${value.region}-${value.side ?? 'none'}-${value.quantity}` };
    const fullUrl = stableUuid(`Observation|${identifier.system}|${identifier.value}`);
    const unit = UNITS[value.quantity];
    const observation: Observation = {
      resourceType: 'Observation',
      identifier: [identifier],
      status,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging', display: 'Imaging' }] }],
      code: valueCode(value, systems.code),
      subject,
      ...(effective ? { effectiveDateTime: effective } : {}),
      performer: [performer],
      valueQuantity: { value: value.value, unit: unit.code, system: UCUM_SYSTEM, code: unit.code },
      bodySite: bodySite(value),
      ...(value.interpretation ? { interpretation: [categoryConcept(systems.category, value.interpretation.code)] } : {}),
    };
    entries.push({ fullUrl, resource: observation, request: conditional('Observation', identifier) });
    results.push({ reference: fullUrl });
  }

  const c = study.classification;
  const { conclusion, nhg } = conclusionOf(input);
  const reportIdentifier: Identifier = { system: systems.report, value: `${uid}-v${version}` };
  const identifiers: Identifier[] = [reportIdentifier];
  if (study.study.accessionNumber) {
    identifiers.push({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN', display: 'Accession ID' }] }, value: study.study.accessionNumber });
  }
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    identifier: identifiers,
    status,
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD', display: 'Radiology' }] }],
    code: { coding: [{ system: LOINC_SYSTEM, code: DXA_REPORT_LOINC.code, display: DXA_REPORT_LOINC.display }], text: DXA_REPORT_LOINC.display },
    subject,
    ...(effective ? { effectiveDateTime: effective } : {}),
    issued: options.at.toISOString(),
    performer: [performer],
    ...(results.length > 0 ? { result: results } : {}),
    conclusion: nhg === null ? conclusion : `${conclusion} ${nhg}`,
    ...(c.category !== null ? { conclusionCode: [categoryConcept(systems.category, c.category)] } : {}),
    ...(input.letters.gp !== null
      ? { presentedForm: [{ contentType: 'application/pdf', language: templates.language === 'nl' ? 'nl-NL' : 'en-GB', title: 'GP letter', data: input.letters.gp.toString('base64') }] }
      : {}),
  };
  entries.push({ fullUrl: stableUuid(`DiagnosticReport|${reportIdentifier.system}|${reportIdentifier.value}`), resource: report, request: conditional('DiagnosticReport', reportIdentifier) });

  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: entries };
  return validateResultBundle(bundle);
}
