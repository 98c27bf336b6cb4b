import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';

describe('deliveries.destinations: a folder or a PACS', () => {
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

  it.each([
    ['    - name: x\n      kind: hl7\n      host: ris\n', "deliveries.destinations.0.kind: 'folder' (or left out) for a folder, or 'dicom' for a PACS"],
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
