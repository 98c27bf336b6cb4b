import { describe, expect, it } from 'vitest';
import { parseDicomBytes } from '../../src/dicom/parse-bytes.ts';
import { DEFAULT_READ_LIMITS } from '../../src/dicom/read-limits.ts';
import { textReaderFor } from '../../src/dicom/text.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { ReadError } from '../../src/model/problems.ts';
import { InstanceSchema, READER_IDS } from '../../src/model/study.ts';
import { openDicomObject } from '../../src/readers/dicom-object.ts';
import type { DicomObject, Reader } from '../../src/readers/reader.ts';
import { READER_LIST, READERS, recogniseReader } from '../../src/readers/reader-registry.ts';
import { writeHologicSc } from '../../src/fixtures/write-hologic-sc.ts';
import { fixtureStudy, instanceBytes, profileBytes, readBad, readOk } from '../helpers/exports.ts';
import { ctImage, hologicSecondaryCapture, textReportSr } from '../helpers/other-objects.ts';

const open = (bytes: Uint8Array): DicomObject => {
  const dataSet = parseDicomBytes(bytes);
  return openDicomObject(dataSet, textReaderFor(dataSet), DEFAULT_READ_LIMITS);
};

/** Every SR the fixture generator writes, with the reader that must read it. */
const everyFixtureFile = FIXTURE_STUDIES.flatMap((study) => [
  ...study.instances.map((_, index) => ({ name: `${study.id}/SR${index}`, bytes: instanceBytes(study, index), reader: 'ge-lunar-enhanced-sr' })),
  ...study.profileInstances.map((_, index) => ({ name: `${study.id}/PR${index}`, bytes: profileBytes(study, index), reader: 'dexa-profile-sr' })),
]);

/** Same-length byte replacement of the first occurrence: the file stays well-formed DICOM. */
const swap = (bytes: Uint8Array, from: string, to: string): Uint8Array => {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf(from, 0, 'latin1');
  if (at < 0 || from.length !== to.length) throw new Error(`cannot swap '${from}'`);
  copy.write(to, at, 'latin1');
  return copy;
};

describe('reader registry', () => {
  it('lists one reader under each reader id of the model, and nothing else', () => {
    expect(Object.keys(READERS).sort()).toEqual([...READER_IDS].sort());
    for (const id of READER_IDS) expect(READERS[id].id).toBe(id);
    expect(READER_LIST.map((reader) => reader.id)).toEqual([...READER_IDS]);
  });

  it('every fixture file is recognised by exactly one reader, the right one', () => {
    expect(everyFixtureFile.length).toBeGreaterThan(30);
    for (const file of everyFixtureFile) {
      const object = open(file.bytes);
      expect(READER_LIST.filter((reader) => reader.recognises(object)).map((reader) => reader.id), file.name).toEqual([file.reader]);
    }
  });

  it('the reader id in every read result is the id of the registered reader that recognised the object', () => {
    for (const file of everyFixtureFile) {
      const extraction = readOk(file.bytes, file.name);
      expect(extraction.instance.reader, file.name).toBe(recogniseReader(open(file.bytes)).id);
      expect(InstanceSchema.parse(extraction.instance)).toEqual(extraction.instance);
    }
  });

  it('a profile SR that says it comes from GE goes to the profile reader: the content decides, not the Manufacturer', () => {
    const ge = instanceBytes(fixtureStudy('16'), 0);
    const profile = swap(profileBytes(fixtureStudy('16'), 0), 'dexa-report fixtures', 'GE Healthcare'.padEnd(20, ' '));
    expect(open(ge).manufacturer()).toBe('GE Healthcare');
    expect(open(profile).manufacturer()).toBe('GE Healthcare');
    expect(readOk(ge).instance.reader).toBe('ge-lunar-enhanced-sr');
    expect(readOk(profile).instance.reader).toBe('dexa-profile-sr');
  });

  it("a GE Lunar DXA Report under another Manufacturer is still GE's", () => {
    const renamed = swap(instanceBytes(fixtureStudy('02'), 0), 'GE Healthcare', 'ACME Scanners');
    const extraction = readOk(renamed);
    expect(extraction.study.manufacturer).toBe('ACME Scanners');
    expect(extraction.instance.reader).toBe('ge-lunar-enhanced-sr');
  });

  it('an object two readers claim is a fault of the registry, never a diagnosis of the file', () => {
    const greedy = (id: 'ge-lunar-enhanced-sr' | 'dexa-profile-sr'): Reader => ({ ...READERS[id], recognises: () => true });
    const object = open(instanceBytes(fixtureStudy('02'), 0));
    let thrown: unknown;
    try {
      recogniseReader(object, [greedy('ge-lunar-enhanced-sr'), greedy('dexa-profile-sr')]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(ReadError);
    expect((thrown as Error).message).toContain('ge-lunar-enhanced-sr and dexa-profile-sr both recognise the object');
  });

  it('a Hologic Secondary Capture without SR content fails with NOT_SR, naming its modality, SOP class and manufacturer', () => {
    const failure = readBad(hologicSecondaryCapture(), 'hologic.dcm');
    expect(failure).toEqual({
      file: 'hologic.dcm',
      code: 'NOT_SR',
      error: "not a structured report: a BD object of SOP class 1.2.840.10008.5.1.4.1.1.7 from 'HOLOGIC'",
    });
  });

  it('objects no reader recognises keep their failure codes and wording', () => {
    expect(readBad(ctImage())).toMatchObject({ code: 'NOT_SR', error: 'not a structured report: a CT object of SOP class 1.2.840.10008.5.1.4.1.1.2' });
    expect(readBad(textReportSr())).toMatchObject({
      code: 'NOT_DXA_SR',
      error: "a structured report with 'Diagnostic Imaging Report' (LN 18748-4), not a DXA report this service can read",
    });
  });

  it('a Hologic report image with its private results blob is the Hologic reader\'s, and only its', () => {
    const bytes = writeHologicSc({
      key: 'test/registry/hologic',
      blob: 'not read: recognition looks at the header and the private creators only',
      blobVr: 'UN',
      patientId: 'HOL0001',
      patientName: 'Test^Hologic',
      birthDate: '19560314',
      sex: 'F',
      studyDate: '20261202',
    });
    const object = open(bytes);
    expect(READER_LIST.filter((reader) => reader.recognises(object)).map((reader) => reader.id)).toEqual(['hologic-apex']);
    expect(recogniseReader(object)).toBe(READERS['hologic-apex']);
    expect(object.structuredReport()).toBeNull();
  });

  it('a HOLOGIC image without any HOLOGIC private block is no reader\'s: the Manufacturer alone does not decide', () => {
    expect(READER_LIST.filter((reader) => reader.recognises(open(hologicSecondaryCapture())))).toEqual([]);
  });
});
