import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER_ONLY } from '../../src/config/file-modes.ts';
import { BoundaryError } from '../../src/watch/boundary.ts';
import { moveFile, writeFileAtomic } from '../../src/watch/move-file.ts';

describe('moves and writes stay inside their folders', () => {
  let root = '';
  let inbox = '';
  let out = '';
  let outside = '';
  const to = () => ({ root: out, modes: OWNER_ONLY });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-move-'));
    [inbox, out, outside] = ['inbox', 'out', 'outside'].map((name) => join(root, name)) as [string, string, string];
    for (const folder of [inbox, out, outside]) await mkdir(folder);
    await writeFile(join(outside, 'precious'), 'keep me');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('a source whose real path is outside the inbox is not moved', async () => {
    await symlink(outside, join(inbox, 'sub'));
    await expect(moveFile(join(inbox, 'sub', 'precious'), join(out, 'precious'), inbox, to())).rejects.toThrow(BoundaryError);
    await expect(moveFile(join(inbox, '..', 'outside', 'precious'), join(out, 'precious'), inbox, to())).rejects.toThrow(BoundaryError);
    expect(await readFile(join(outside, 'precious'), 'utf8')).toBe('keep me');
    expect(await readdir(out)).toEqual([]);
  });

  it('a link itself is never moved', async () => {
    await symlink(join(outside, 'precious'), join(inbox, 'link.dcm'));
    await expect(moveFile(join(inbox, 'link.dcm'), join(out, 'link.dcm'), inbox, to())).rejects.toThrow(/not a regular file/);
    expect(await readdir(out)).toEqual([]);
  });

  it('a destination whose folder leads outside out/ through a link is refused, and nothing is written there', async () => {
    await writeFile(join(inbox, 'SR1.dcm'), 'export');
    await symlink(outside, join(out, 'archive'));
    await expect(moveFile(join(inbox, 'SR1.dcm'), join(out, 'archive', 'SR1.dcm'), inbox, to())).rejects.toThrow(BoundaryError);
    await expect(writeFileAtomic(join(out, 'archive', 'SR1.dcm.reason.txt'), 'why', to())).rejects.toThrow(BoundaryError);
    await expect(writeFileAtomic(join(out, 'archive', 'deeper', 'x.pdf'), 'letter', to())).rejects.toThrow(BoundaryError);
    expect(await readdir(outside)).toEqual(['precious']);
    expect(await readdir(inbox)).toEqual(['SR1.dcm']);
  });

  it('inside the folders, a move and a write work as before', async () => {
    await writeFile(join(inbox, 'SR1.dcm'), 'export');
    await moveFile(join(inbox, 'SR1.dcm'), join(out, 'archive', 'day', 'SR1.dcm'), inbox, to());
    await writeFileAtomic(join(out, 'letters', 'a.pdf'), 'letter', to());
    expect(await readFile(join(out, 'archive', 'day', 'SR1.dcm'), 'utf8')).toBe('export');
    expect(await readFile(join(out, 'letters', 'a.pdf'), 'utf8')).toBe('letter');
    // idempotent: a move that already happened is done
    await moveFile(join(inbox, 'SR1.dcm'), join(out, 'archive', 'day', 'SR1.dcm'), inbox, to());
  });
});
