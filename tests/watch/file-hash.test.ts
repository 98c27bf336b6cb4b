import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256OfFile, sha256OfHandle } from '../../src/watch/file-hash.ts';

describe('the SHA-256 of a file on disk', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-file-hash-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  // sizes around the one-megabyte chunk: empty, one byte, an export's size, exactly one chunk, a chunk and a bit, several
  it.each([0, 1, 48_213, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 517])('is the digest of all %i bytes', async (size) => {
    const bytes = randomBytes(size);
    const path = join(root, `file-${size}`);
    await writeFile(path, bytes);
    expect(await sha256OfFile(path)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('reads to the end of a file larger than the size its caller saw (it grew meanwhile)', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 9);
    const path = join(root, 'grown');
    await writeFile(path, bytes);
    const handle = await open(path, 'r');
    try {
      expect(await sha256OfHandle(handle, 10)).toBe(createHash('sha256').update(bytes).digest('hex'));
    } finally {
      await handle.close();
    }
  });

  it('is null for a file that is not there', async () => {
    expect(await sha256OfFile(join(root, 'absent'))).toBeNull();
  });
});
