import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { sha256Of } from '../../src/watch/file-hash.ts';
import { SIDECAR_NAME } from '../../src/watch/folder-transport.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { runDexa } from '../helpers/run-cli.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

describe('the outbox, delivering released letters into a destination folder', () => {
  let root = '';
  let service: RunningService | null = null;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-outbox-'));
  });
  afterEach(async () => {
    await service?.stop();
    service = null;
    await rm(root, { recursive: true, force: true });
  });

  async function start(deliveries: Partial<DepartmentConfig['deliveries']>): Promise<RunningService> {
    const config: DepartmentConfig = {
      ...DEFAULT_CONFIG,
      watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2 },
      deliveries: { destinations: [{ name: 'epd', folder: join(root, 'destination') }], maxAttempts: 50, firstRetrySeconds: 0.1, maxRetrySeconds: 0.3, ...deliveries },
    };
    service = await startService({ inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'data', 'dexa.db'), config, templates: await loadTemplates('nl'), logger: pino({ level: 'silent' }) });
    return service;
  }

  async function releasedStudy(running: RunningService, id: string) {
    const study = syntheticStudy(id);
    await drop(join(root, 'inbox'), id, studyFiles(study));
    const uid = fixtureUids(study).study;
    for (;;) {
      const record = await running.store.studies.byUid(uid);
      if (record && record.version > 0 && record.dueAt === null) return record;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function attemptsReach(running: RunningService, studyId: number, attempts: number): Promise<void> {
    while (((await running.store.deliveries.ofStudy(studyId))[0]?.attempts ?? 0) < attempts) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('delivers once the destination can be written, exactly once, whatever failed before', async () => {
    const running = await start({});
    const study = await releasedStudy(running, 'late-share');
    expect(study.state).toBe('released');
    await attemptsReach(running, study.id, 2); // the share is not mounted: no folder is made in its place
    expect(await readdir(root)).not.toContain('destination');
    await writeFile(join(root, 'destination'), 'a file where the folder should be');
    await attemptsReach(running, study.id, 4);
    await rm(join(root, 'destination'));
    await mkdir(join(root, 'destination'));
    if (process.getuid?.() !== 0) {
      // read-only for a while (root writes whatever the mode says, so only when the tests are not root)
      await chmod(join(root, 'destination'), 0o555);
      await attemptsReach(running, study.id, 6);
      await chmod(join(root, 'destination'), 0o755);
    }
    while ((await running.store.deliveries.ofStudy(study.id))[0]?.state !== 'delivered') await new Promise((resolve) => setTimeout(resolve, 50));
    await running.idle();
    const [delivery] = await running.store.deliveries.ofStudy(study.id);
    expect(delivery).toMatchObject({ state: 'delivered', destination: 'epd', version: 1, lastError: null });
    expect((await running.store.studies.byId(study.id))?.state).toBe('delivered');
    const folders = await readdir(join(root, 'destination'));
    expect(folders).toHaveLength(1);
    const files = (await readdir(join(root, 'destination', folders[0]!))).sort();
    const letters = await running.store.letters.current(study.id);
    expect(files).toEqual([...letters.map((l) => l.path.slice(l.path.lastIndexOf('/') + 1)), SIDECAR_NAME].sort());
    const sidecar = JSON.parse(await readFile(join(root, 'destination', folders[0]!, SIDECAR_NAME), 'utf8')) as { study: { studyInstanceUid: string; version: number }; classification: { category: string }; letters: { name: string; sha256: string }[] };
    expect(sidecar.study).toMatchObject({ studyInstanceUid: study.studyUid, version: 1 });
    expect(sidecar.classification.category).toBeTruthy();
    for (const letter of sidecar.letters) expect(sha256Of(await readFile(join(root, 'destination', folders[0]!, letter.name)))).toBe(letter.sha256);
    expect((await running.store.audit.of(study.id)).filter((entry) => entry.action === 'delivered')).toHaveLength(1);
  }, 60_000);

  it('gives up after the configured tries, and status says so', async () => {
    const running = await start({ maxAttempts: 3 });
    const study = await releasedStudy(running, 'never-there');
    while ((await running.store.deliveries.ofStudy(study.id))[0]?.state !== 'failed') await new Promise((resolve) => setTimeout(resolve, 50));
    const [delivery] = await running.store.deliveries.ofStudy(study.id);
    expect(delivery).toMatchObject({ attempts: 3, state: 'failed' });
    expect(delivery?.lastError).toContain('is not there (not mounted?)');
    expect((await running.store.studies.byId(study.id))?.state).toBe('released'); // not delivered
    await running.stop();
    service = null;
    const status = await runDexa(['status', '--db', join(root, 'data', 'dexa.db'), '--inbox', join(root, 'inbox'), '--out', join(root, 'out')]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/deliveries:\n(.*\n)*\s+failed\s+1\n/);
    expect(status.stdout).toContain(`deliveries failed for good: 1\n  ${study.studyUid} version 1 to epd: 3 tries, last: the destination folder ${join(root, 'destination')} is not there (not mounted?)`);
  }, 60_000);
});
