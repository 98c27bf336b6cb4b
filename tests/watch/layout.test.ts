import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxFiles } from '../../src/watch/layout.ts';

describe('inboxFiles', () => {
  let root = '';
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lists files and links, and never descends into a linked folder', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-layout-'));
    await mkdir(join(root, 'outside'));
    await writeFile(join(root, 'outside', 'secret.dcm'), 'x');
    await mkdir(join(root, 'inbox', 'real'), { recursive: true });
    await writeFile(join(root, 'inbox', 'real', 'SR1.dcm'), 'x');
    await writeFile(join(root, 'inbox', 'real', 'SR2.dcm.partial'), 'x');
    await symlink(join(root, 'outside'), join(root, 'inbox', 'away'));
    await symlink('real', join(root, 'inbox', 'alias'));
    const listed = (await inboxFiles(join(root, 'inbox'))).map((path) => path.slice(join(root, 'inbox').length + 1)).sort();
    expect(listed).toEqual(['alias', 'away', 'real/SR1.dcm']);
  });
});
