import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';

describe('the hospital: block of the department configuration', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-hospital-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const load = async (yaml: string) => {
    await writeFile(join(folder, 'dexa.yaml'), yaml);
    return loadConfig(join(folder, 'dexa.yaml'));
  };

  it('has defaults a department need not repeat, and takes what it gives', async () => {
    expect(DEFAULT_CONFIG.hospital).toMatchObject({ sendingApplication: 'DEXA-REPORT', embedPdfs: ['gp', 'patient'], patientIdSystem: null });
    const { config } = await load('hospital:\n  receivingApplication: HIX\n  embedPdfs: [gp]\n  identifierSystem: https://zkh.example.nl/fhir/dexa\n');
    expect(config.hospital).toMatchObject({ sendingApplication: 'DEXA-REPORT', receivingApplication: 'HIX', embedPdfs: ['gp'], identifierSystem: 'https://zkh.example.nl/fhir/dexa' });
  });

  it('refuses an application name with an HL7 delimiter, a letter twice, and an identifier system that cannot take names', async () => {
    await expect(load('hospital:\n  sendingFacility: "RAD|NUC"\n')).rejects.toThrow(/hospital\.sendingFacility: no HL7 delimiter/);
    await expect(load('hospital:\n  embedPdfs: [gp, gp]\n')).rejects.toThrow(/hospital\.embedPdfs: each letter once/);
    await expect(load('hospital:\n  identifierSystem: urn:oid:2.16.528.1\n')).rejects.toThrow(/hospital\.identifierSystem: names are made under it/);
    await expect(load('hospital:\n  identifierSystem: dexa\n')).rejects.toThrow(/hospital\.identifierSystem: a URN/);
  });
});
