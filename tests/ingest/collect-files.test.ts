import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFiles } from '../../src/ingest/collect-files.ts';

describe('collecting export files', () => {
  let root = '';
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('walks folders recursively in a stable order, passing over notes and sidecars but not named files', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-collect-'));
    await mkdir(join(root, 'b', 'deeper'), { recursive: true });
    for (const name of ['a.dcm', 'NOEXT', 'b/deeper/z.dcm', 'b/c.dcm', 'expected.json', 'notes.md', '.hidden', 'b/x.context.json']) {
      await writeFile(join(root, name), 'x');
    }
    const { files, missing } = await collectFiles([root, join(root, 'notes.md'), join(root, 'gone')]);
    expect(files.map((file) => file.slice(root.length + 1))).toEqual(['NOEXT', 'a.dcm', 'b/c.dcm', 'b/deeper/z.dcm', 'notes.md']);
    expect(missing).toEqual([join(root, 'gone')]);
  });
});
