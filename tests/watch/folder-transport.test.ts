import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER_ONLY } from '../../src/config/file-modes.ts';
import { sha256Of } from '../../src/watch/file-hash.ts';
import { deliverToFolder, deliveryFolderName, SIDECAR_NAME, type DeliveryPayload } from '../../src/watch/folder-transport.ts';

describe('delivering into a folder', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-folder-transport-'));
    await mkdir(join(root, 'destination'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function payload(deliveryId: number, version: number): Promise<DeliveryPayload> {
    const letter = join(root, `gp-v${version}.pdf`);
    const bytes = Buffer.from(`%PDF letter ${version}`);
    await writeFile(letter, bytes);
    return {
      deliveryId,
      destination: 'epd',
      study: { studyInstanceUid: '1.2.3.4', accessionNumber: 'ACC1', studyDate: '20261201', version, state: 'released' },
      patient: { id: 'P1', issuer: null },
      classification: { category: 'osteopenia', path: null, indexRegion: null, indexSide: null, indexScore: null },
      letters: [{ kind: 'gp', path: letter, sha256: sha256Of(bytes) }],
    };
  }

  it('clears what a killed earlier attempt of the same version left, and nothing of another version', async () => {
    const first = await payload(7, 1);
    const name = deliveryFolderName(first);
    const destination = join(root, 'destination');
    await mkdir(join(destination, `.${name}.partial-999999`)); // another process, killed while writing
    await writeFile(join(destination, `.${name}.partial-999999`, 'gp-v1.pdf'), 'half');
    const otherVersion = `.${deliveryFolderName(await payload(8, 2))}.partial-999998`;
    await mkdir(join(destination, otherVersion));

    await deliverToFolder(destination, first, OWNER_ONLY);

    expect((await readdir(destination)).sort()).toEqual([otherVersion, name].sort());
    expect((await readdir(join(destination, name))).sort()).toEqual([SIDECAR_NAME, 'gp-v1.pdf'].sort());
  });
});
