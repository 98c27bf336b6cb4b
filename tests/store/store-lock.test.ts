import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreInUseError } from '../../src/store/store-lock.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

describe('one service per store', () => {
  const running: TestService[] = [];
  let root = '';
  afterEach(async () => {
    for (const service of running.splice(0)) await service.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a second service on the same store is refused, naming the running one; after a stop the store is free again', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-lock-'));
    running.push(await startTestService({}, root));
    expect(await readFile(join(root, 'data', 'dexa.db.pid'), 'utf8')).toBe(`${process.pid}\n`);
    const second = startTestService({}, root);
    await expect(second).rejects.toThrow(StoreInUseError);
    await expect(second).rejects.toThrow(`PID ${process.pid}`);
    await running.pop()!.service.stop();
    running.push(await startTestService({}, root));
  });
});
