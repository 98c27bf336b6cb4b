import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { sentUids } from '../../src/dicom/write-result-modules.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { freePort, quietDimse, receivedObjects, startStorescp, storescpAvailable, type Storescp } from '../helpers/pacs-storescp.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const available = storescpAvailable();

describe.skipIf(!available)('results back to PACS when the PACS is down', () => {
  let root = '';
  let service: RunningService | null = null;
  let pacs: Storescp | null = null;
  beforeEach(async () => {
    quietDimse();
    root = await mkdtemp(join(tmpdir(), 'dexa-pacs-down-'));
    await mkdir(join(root, 'pacs'));
  });
  afterEach(async () => {
    await service?.stop();
    service = null;
    await pacs?.stop();
    pacs = null;
    await rm(root, { recursive: true, force: true });
  });

  async function start(port: number, maxAttempts = 100, timeoutSeconds = 3): Promise<RunningService> {
    const config: DepartmentConfig = {
      ...DEFAULT_CONFIG,
      watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2 },
      deliveries: {
        destinations: [{ name: 'pacs', kind: 'dicom', aeTitle: 'PACS', host: '127.0.0.1', port, callingAeTitle: 'DEXA', timeoutSeconds }],
        maxAttempts,
        firstRetrySeconds: 0.2,
        maxRetrySeconds: 0.4,
      },
    };
    service = await startService({ inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'data', 'dexa.db'), config, templates: await loadTemplates('nl'), logger: pino({ level: 'silent' }) });
    return service;
  }

  async function delivery(running: RunningService, studyUid: string) {
    const record = await running.store.studies.byUid(studyUid);
    return record === null ? undefined : (await running.store.deliveries.ofStudy(record.id))[0];
  }

  async function until(what: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await what())) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('gets the results once it is back, exactly once', async () => {
    const port = await freePort();
    const running = await start(port);
    const study = syntheticStudy('pacs-down');
    const studyUid = fixtureUids(study).study;
    await drop(join(root, 'inbox'), 'study', studyFiles(study));
    await until(async () => ((await delivery(running, studyUid))?.attempts ?? 0) >= 3);
    const waiting = await delivery(running, studyUid);
    expect(waiting).toMatchObject({ state: 'pending' });
    expect(waiting?.lastError).toMatch(/^PACS PACS@127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect((await running.store.studies.byUid(studyUid))?.state).toBe('released');

    pacs = await startStorescp(join(root, 'pacs'), port);
    await until(async () => (await delivery(running, studyUid))?.state === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // long enough for two more tries, were any left
    const received = await receivedObjects(join(root, 'pacs'));
    const uids = sentUids(studyUid, 1, 'pacs');
    expect(received.map((r) => r.dataset['SOPInstanceUID']).sort()).toEqual([uids.pdfInstance, uids.srInstance].sort());
    expect((await running.store.studies.byUid(studyUid))?.state).toBe('delivered');
    const record = await running.store.studies.byUid(studyUid);
    expect((await running.store.audit.of(record!.id)).filter((entry) => entry.action === 'delivered')).toHaveLength(1);
  }, 60_000);

  it('a PACS that refuses the association is a failed try with the reason in the error; the outbox gives up after its tries', async () => {
    const port = await freePort();
    pacs = await startStorescp(join(root, 'pacs'), port, ['--refuse']);
    const running = await start(port, 2);
    const study = syntheticStudy('pacs-refuses');
    const studyUid = fixtureUids(study).study;
    await drop(join(root, 'inbox'), 'study', studyFiles(study));
    await until(async () => (await delivery(running, studyUid))?.state === 'failed');
    const failed = await delivery(running, studyUid);
    expect(failed).toMatchObject({ attempts: 2 });
    expect(failed?.lastError).toMatch(/association was rejected/);
    expect(await receivedObjects(join(root, 'pacs'))).toEqual([]);
  }, 60_000);

  it('a PACS that aborts the association fails the try at once, not after the timeout', async () => {
    const port = await freePort();
    pacs = await startStorescp(join(root, 'pacs'), port, ['--abort-after']);
    const running = await start(port, 1, 30);
    const study = syntheticStudy('pacs-aborts');
    const studyUid = fixtureUids(study).study;
    await drop(join(root, 'inbox'), 'study', studyFiles(study));
    await until(async () => (await delivery(running, studyUid)) !== undefined);
    const queued = Date.now();
    await until(async () => (await delivery(running, studyUid))?.state === 'failed');
    expect(Date.now() - queued).toBeLessThan(15_000);
    expect((await delivery(running, studyUid))?.lastError).toMatch(/the PACS aborted the association/);
  }, 60_000);

  it('an answer lost after the PACS stored the objects: the try again sends the same instances, which a PACS takes as the same objects', async () => {
    const port = await freePort();
    // storescp that stores what it gets, then waits longer than the service waits for the answer
    pacs = await startStorescp(join(root, 'pacs'), port, ['--sleep-after', '3']);
    const running = await start(port, 100, 1);
    const study = syntheticStudy('pacs-lost-answer');
    const studyUid = fixtureUids(study).study;
    await drop(join(root, 'inbox'), 'study', studyFiles(study));
    await until(async () => ((await delivery(running, studyUid))?.attempts ?? 0) >= 1);
    expect((await delivery(running, studyUid))?.state).toBe('pending');
    await pacs.stop();
    const before = (await receivedObjects(join(root, 'pacs'))).map((r) => r.dataset['SOPInstanceUID']);
    expect(before.length).toBeGreaterThan(0); // stored, though the service never heard so
    pacs = await startStorescp(join(root, 'pacs'), port);
    await until(async () => (await delivery(running, studyUid))?.state === 'delivered');
    const uids = sentUids(studyUid, 1, 'pacs');
    const received = (await receivedObjects(join(root, 'pacs'))).map((r) => r.dataset['SOPInstanceUID']);
    expect(new Set(received)).toEqual(new Set([uids.pdfInstance, uids.srInstance]));
    expect(received.length).toBeGreaterThan(before.length);
  }, 60_000);
});
