import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';

describe('deliveries.destinations: a folder, a PACS, an HL7 v2 receiver or a FHIR server', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-config-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));
  const load = async (destinations: string) => {
    await writeFile(join(folder, 'dexa.yaml'), `deliveries:\n  destinations:\n${destinations}`);
    return loadConfig(join(folder, 'dexa.yaml'));
  };

  it('a folder as before (kind left out or given), relative to the configuration; a PACS with its defaults', async () => {
    const { config } = await load(
      ['    - name: epd', '      folder: epd-import', '    - name: share', '      kind: folder', '      folder: /mnt/share', '    - name: pacs', '      kind: dicom', '      aeTitle: PACS_ARCHIVE', '      host: pacs.example.org', '      port: 104', ''].join('\n'),
    );
    expect(config.deliveries.destinations).toEqual([
      { name: 'epd', folder: join(folder, 'epd-import') },
      { name: 'share', kind: 'folder', folder: '/mnt/share' },
      { name: 'pacs', kind: 'dicom', aeTitle: 'PACS_ARCHIVE', host: 'pacs.example.org', port: 104, callingAeTitle: 'DEXA_REPORT', timeoutSeconds: 30 },
    ]);
  });

  it('an HL7 receiver and a FHIR server with their defaults; nothing made relative to the configuration', async () => {
    const { config } = await load(
      [
        '    - name: epd-hl7', '      kind: hl7', '      host: hix-engine.example.org', '      port: 2575', '      embed: [gp]',
        '    - name: epd-fhir', '      kind: fhir', '      baseUrl: https://fhir.example.org/R4', '      bearerTokenEnv: DEXA_FHIR_TOKEN', '',
      ].join('\n'),
    );
    expect(config.deliveries.destinations).toEqual([
      { name: 'epd-hl7', kind: 'hl7', host: 'hix-engine.example.org', port: 2575, timeoutSeconds: 30, embed: ['gp'] },
      { name: 'epd-fhir', kind: 'fhir', baseUrl: 'https://fhir.example.org/R4', bearerTokenEnv: 'DEXA_FHIR_TOKEN', timeoutSeconds: 30 },
    ]);
  });

  it.each([
    ['    - name: x\n      kind: smtp\n      host: ris\n', "deliveries.destinations.0.kind: 'folder' (or left out) for a folder, 'dicom' for a PACS, 'hl7' for an HL7 v2 receiver (MLLP) or 'fhir' for a FHIR server"],
    ['    - name: x\n      kind: hl7\n      host: ris\n', 'deliveries.destinations.0.port'],
    ['    - name: x\n      kind: hl7\n      host: ris\n      port: 2575\n      embed: [gp, gp]\n', 'each letter once'],
    ['    - name: x\n      kind: hl7\n      host: ris\n      port: 2575\n      embed: [report]\n', 'deliveries.destinations.0.embed.0'],
    ['    - name: x\n      kind: fhir\n      baseUrl: ftp://fhir.example.org\n', 'an http(s) URL'],
    ['    - name: x\n      kind: fhir\n      baseUrl: https://fhir.example.org/R4\n      bearerToken: abc\n      bearerTokenEnv: FHIR_TOKEN\n', 'give bearerToken or bearerTokenEnv, not both'],
    ['    - name: x\n      kind: fhir\n      baseUrl: https://fhir.example.org/R4\n      bearerTokenEnv: 1-bad\n', 'an environment variable name'],
    ['    - name: x\n      kind: dicom\n      host: pacs\n      port: 104\n', 'deliveries.destinations.0.aeTitle'],
    ['    - name: x\n      kind: dicom\n      aeTitle: A_TITLE_LONGER_THAN_16\n      host: pacs\n      port: 104\n', 'an AE title: 1 to 16 printable characters, no backslash'],
    ['    - name: x\n      kind: dicom\n      aeTitle: PACS\n      host: pacs\n      port: 70000\n', 'deliveries.destinations.0.port'],
    ['    - name: x\n      kind: dicom\n      aeTitle: PACS\n      host: pacs\n      port: 104\n      folder: /mnt/x\n', 'folder'],
    ['    - name: x\n      folder: /mnt/x\n      port: 104\n', 'port'],
    ['    - name: x\n      folder: /a\n    - name: x\n      kind: dicom\n      aeTitle: PACS\n      host: pacs\n      port: 104\n', 'each destination needs its own name'],
  ])('%j is refused: %s', async (yaml, message) => {
    await expect(load(yaml)).rejects.toThrow(message);
  });
});
