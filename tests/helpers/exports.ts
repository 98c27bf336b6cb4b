import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { FixtureInstance, FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { writeHologicScan } from '../../src/fixtures/write-hologic-fixture.ts';
import { writeProfileSrInstance } from '../../src/fixtures/write-profile-sr.ts';
import { readExportBytes, type FileFailure } from '../../src/ingest/read-file.ts';
import type { InstanceExtraction } from '../../src/model/study.ts';

export function fixtureStudy(id: string): FixtureStudy {
  const study = FIXTURE_STUDIES.find((candidate) => candidate.id.startsWith(id));
  if (!study) throw new Error(`no fixture study ${id}`);
  return study;
}

/** A fixture study with one instance changed, for a test that needs a variant. */
export function variant(study: FixtureStudy, index: number, change: Partial<FixtureInstance>): FixtureStudy {
  return { ...study, instances: study.instances.map((instance, i) => (i === index ? { ...instance, ...change } : instance)) };
}

export function readOk(bytes: Uint8Array, file = 'test.dcm'): InstanceExtraction {
  const outcome = readExportBytes(bytes, file);
  if (!outcome.ok) throw new Error(`expected a readable file, got ${outcome.failure.code}: ${outcome.failure.error}`);
  return outcome.extraction;
}

export function readBad(bytes: Uint8Array, file = 'bad.dcm'): FileFailure {
  const outcome = readExportBytes(bytes, file);
  if (outcome.ok) throw new Error('expected the file to be rejected, but it was read');
  return outcome.failure;
}

export function instanceBytes(study: FixtureStudy, index: number): Uint8Array {
  return writeGeSrInstance(study, index);
}

export function profileBytes(study: FixtureStudy, index: number): Uint8Array {
  return writeProfileSrInstance(study, index);
}

/** Every SR of a fixture study, read: GE instances first, then profile instances. */
export function readWholeStudy(study: FixtureStudy): InstanceExtraction[] {
  return [
    ...study.instances.map((_, index) => readOk(instanceBytes(study, index), `${study.id}/SR${index}`)),
    ...study.profileInstances.map((_, index) => readOk(profileBytes(study, index), `${study.id}/PR${index}`)),
    ...(study.hologicScans ?? []).map((_, index) => readOk(writeHologicScan(study, index), `${study.id}/HL${index}`)),
  ];
}
