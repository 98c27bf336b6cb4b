import { createHash } from 'node:crypto';
import { mkdtemp, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { StudyStore } from '../../src/store/study-store.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { adminQuery, freshPostgresStore, postgresAnswers } from '../helpers/postgres.ts';
import { drop, filesUnder, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { until } from '../helpers/until.ts';

const postgresUp = await postgresAnswers();

/**
 * Two instances on one inbox: one has claimed a study's spine SR and stopped before deciding on it
 * (killed). The other takes the rest of the study; it must not release a version without the spine
 * while that claim is young, or the GP would get a letter amended moments later.
 */
describe.skipIf(!postgresUp)('a study beside a file another instance has claimed and not decided on', () => {
  let root = '';
  let store: Awaited<ReturnType<typeof freshPostgresStore>> | null = null;
  const services: RunningService[] = [];

  afterEach(async () => {
    for (const service of services.splice(0)) await service.stop();
    await store?.drop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function setUp(): Promise<{ inbox: string; study: ReturnType<typeof syntheticStudy>; claimed: string }> {
    root = await mkdtemp(join(tmpdir(), 'dexa-claimed-'));
    store = await freshPostgresStore();
    const inbox = join(root, 'inbox');
    // the spine decides the category: without it the letter would say osteopenia, with it osteoporosis
    const study = syntheticStudy('claimed', { spine: -2.8, neck: -1.2 });
    await drop(inbox, 'claimed', studyFiles(study));
    const claimed = 'claimed/SR1.dcm';
    const bytes = await readFile(join(inbox, claimed));
    // instance a claims the spine SR, as its intake does before deciding, and is then killed
    const a = await StudyStore.open(store.url, { identity: { instance: 'a', inboxKey: await realpath(inbox), localIssuer: '' } });
    await a.files.claim({ inboxPath: claimed, size: bytes.length, mtimeMs: Math.trunc((await stat(join(inbox, claimed))).mtimeMs), sha256: createHash('sha256').update(bytes).digest('hex'), kind: 'export' });
    await a.close();
    return { inbox, study, claimed };
  }

  async function startInstance(instance: string, inbox: string, settleSeconds = 0.3): Promise<RunningService> {
    const service = await startService({
      inbox,
      out: join(root, 'out'),
      database: store!.url,
      identity: { instance, inboxKey: await realpath(inbox), localIssuer: '' },
      config: { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds, quietSeconds: 0.2 } },
      templates: await loadTemplates('nl'),
      logger: pino({ level: 'silent' }),
    });
    services.push(service);
    return service;
  }

  const studyRow = async (uid: string) => (await adminQuery('SELECT version::int AS version, state FROM studies WHERE study_uid = $1', [uid], store!.schema))[0] as { version: number; state: string } | undefined;
  const letters = async () => (await filesUnder(join(root, 'out'))).filter((file) => file.endsWith('.pdf'));

  it('waits for the claimed file, and makes one version with it once its instance starts again', async () => {
    const { inbox, study, claimed } = await setUp();
    const b = await startInstance('b', inbox);
    // (not b.idle(): that waits for every file in the inbox to be taken)
    await until(async () => (await filesUnder(inbox)).length === 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // well past the quiet period
    const uid = fixtureUids(study).study;
    expect(await studyRow(uid)).toMatchObject({ version: 0 }); // the hip SR and the context taken, no version made
    expect(await letters()).toEqual([]);
    expect(await filesUnder(inbox)).toEqual([join(inbox, claimed)]);

    // a starts again and takes the file up under its claim: the claim stands meanwhile (here for the
    // 5 s a waits for the file to settle), so b, looking again every few seconds, still waits
    const a = await startInstance('a', inbox, 5);
    await until(async () => (await studyRow(uid))?.version === 1 && (await filesUnder(inbox)).length === 0, 30_000);
    await a.idle();
    await b.idle();
    expect(await studyRow(uid)).toMatchObject({ version: 1 });
    expect(await filesUnder(inbox)).toEqual([]);
    const made = await letters();
    expect(made).toHaveLength(2);
    expect(await adminQuery('SELECT version::int AS version, category FROM classifications', [], store!.schema)).toEqual([{ version: 1, category: 'osteoporosis' }]);
  }, 60_000);

  it('does not wait for a claim older than the claim lease: its instance is gone', async () => {
    const { inbox, study, claimed } = await setUp();
    await adminQuery("UPDATE files SET received_at = $1 WHERE inbox_path = $2", [new Date(Date.now() - 6 * 60_000).toISOString(), claimed], store!.schema);
    await startInstance('b', inbox);
    const uid = fixtureUids(study).study;
    await until(async () => (await studyRow(uid))?.version === 1, 30_000);
    expect(await studyRow(uid)).toMatchObject({ version: 1 });
    // the claimed file stays for its instance to take when it starts again
    expect(await filesUnder(inbox)).toEqual([join(inbox, claimed)]);
  }, 60_000);
});
