import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileModes, OWNER_ONLY } from '../../src/config/file-modes.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';

describe('files: the modes of what the service writes', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-config-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));
  const load = async (yaml: string) => {
    await writeFile(join(folder, 'dexa.yaml'), yaml);
    return loadConfig(join(folder, 'dexa.yaml'));
  };

  it('owner-only by default; a group may be given read access', async () => {
    expect(fileModes(DEFAULT_CONFIG)).toEqual(OWNER_ONLY);
    expect(OWNER_ONLY).toEqual({ file: 0o600, folder: 0o700 });
    const { config } = await load("files:\n  fileMode: '0640'\n  folderMode: '750'\n");
    expect(fileModes(config)).toEqual({ file: 0o640, folder: 0o750 });
  });

  it.each([
    ['files:\n  fileMode: 0640\n', "files.fileMode: an octal mode in quotes, such as '0600'"],
    ["files:\n  fileMode: '0400'\n", 'files.fileMode: the owner (the service) must keep read and write'],
    ["files:\n  folderMode: '0600'\n", 'files.folderMode: the owner (the service) must keep read, write and search'],
    ["files:\n  fileMode: '0666'\n", 'files.fileMode: others may not write'],
    ["files:\n  fileMode: '4600'\n", "files.fileMode: an octal mode in quotes, such as '0600'"],
    ["files:\n  fileMode: 'rw-------'\n", "files.fileMode: an octal mode in quotes, such as '0600'"],
  ])('%j is refused: %s', async (yaml, message) => {
    await expect(load(yaml)).rejects.toThrow(message);
  });
});
