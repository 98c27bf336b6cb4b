import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { mergeStudy } from '../../src/ingest/merge-study.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { letterText, type ResultInput } from '../../src/results/result-input.ts';
import { readWholeStudy } from '../helpers/exports.ts';

/** A department that names its systems, as a hospital connecting its record would. */
export const HOSPITAL_CONFIG: DepartmentConfig = {
  ...DEFAULT_CONFIG,
  hospital: {
    ...DEFAULT_CONFIG.hospital,
    sendingApplication: 'DEXA',
    sendingFacility: 'RADNUC',
    receivingApplication: 'HIX',
    receivingFacility: 'ZKH',
    identifierSystem: 'https://ziekenhuis.example.nl/fhir/dexa',
  },
};

/** A fixture study as the service assesses it (its sidecar and the export's own context), as round-trip.test.ts reads it. */
export async function assessedFixtureStudy(fixture: FixtureStudy): Promise<AssessedStudy> {
  const sidecar = fixture.context ? { context: fixture.context, file: 'context.json' } : undefined;
  return assessStudy(mergeStudy(readWholeStudy(fixture)), sidecar, undefined, async () => null);
}

/** Everything a result message of one study version is made from: the study, both letters rendered, the GP letter's text. */
export async function resultInputOf(study: AssessedStudy, options: { version?: number; held?: boolean; config?: DepartmentConfig } = {}): Promise<ResultInput> {
  const config = options.config ?? HOSPITAL_CONFIG;
  const templates = await loadTemplates('nl');
  const held = options.held ?? false;
  const [gp, patient] = await renderStudyLetters(study, config, templates, { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z'), version: options.version ?? 1, held });
  return { study, version: options.version ?? 1, held, config, templates, letters: { gp: gp!.pdf, patient: patient!.pdf }, gpLetterText: await letterText(gp!.pdf) };
}

let all: Promise<{ fixture: FixtureStudy; input: ResultInput }[]> | null = null;

/** Every fixture study with its result input, made once per test file. */
export function fixtureInputs(): Promise<{ fixture: FixtureStudy; input: ResultInput }[]> {
  all ??= Promise.all(FIXTURE_STUDIES.map(async (fixture) => ({ fixture, input: await resultInputOf(await assessedFixtureStudy(fixture)) })));
  return all;
}

export const AT = new Date('2026-11-23T10:15:30Z');
