import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { SIDECAR_NAME } from '../../src/watch/folder-transport.ts';
import { freshPostgresStore, postgresAnswers, adminQuery } from '../helpers/postgres.ts';
import { DEXA } from '../helpers/run-cli.ts';
import { drop, filesUnder, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const STUDIES = 60;
const postgresUp = await postgresAnswers();

describe.skipIf(!postgresUp)('two dexa watch processes on one PostgreSQL store and one inbox', () => {
  let root = '';
  let store: Awaited<ReturnType<typeof freshPostgresStore>>;
  const running = new Map<string, ChildProcess>();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-two-'));
    store = await freshPostgresStore();
    await mkdir(join(root, 'destination'));
    await writeFile(
      join(root, 'dexa.config.yaml'),
      ['watch: { settleSeconds: 0.3, quietSeconds: 2, incompleteWaitSeconds: 600 }', 'deliveries:', '  destinations: [{ name: epd, folder: destination }]', '  firstRetrySeconds: 0.5', ''].join('\n'),
    );
  });
  afterAll(async () => {
    for (const child of running.values()) child.kill('SIGKILL');
    await store?.drop();
    await rm(root, { recursive: true, force: true });
  });

  function start(instance: string): void {
    const child = spawn(process.execPath, [DEXA, 'watch', '--no-web', '--inbox', 'inbox', '--out', 'out', '--db', store.url, '--instance', instance, '--config', 'dexa.config.yaml'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${instance}] ${chunk.toString()}`));
    running.set(instance, child);
  }

  const count = async (sql: string) => Number(((await adminQuery(sql, [], store.schema)) as { n: string | number }[])[0]?.n ?? 0);
  async function waitFor(what: string, done: () => Promise<boolean>, seconds: number): Promise<void> {
    const until = Date.now() + seconds * 1000;
    while (!(await done())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('take every file once, make one letter pair per study and deliver it once, though one is killed midway', async () => {
    start('a');
    start('b');
    await waitFor('both instances', async () => (await count('SELECT COUNT(*) AS n FROM service_setup').catch(() => 0)) === 2, 60);
    const studies = Array.from({ length: STUDIES }, (_, i) => syntheticStudy(`two-${i}`, { neck: -1.0 - (i % 20) / 10 }));
    await Promise.all(studies.map((study) => drop(join(root, 'inbox'), study.id, studyFiles(study))));

    // midway: one instance is killed outright, and started again under its name
    await waitFor('half the studies', async () => (await count('SELECT COUNT(*) AS n FROM studies WHERE version > 0')) >= STUDIES / 2, 240);
    running.get('a')?.kill('SIGKILL');
    await new Promise((resolve) => running.get('a')?.once('exit', resolve));
    start('a');

    await waitFor(
      'every study made and delivered',
      async () =>
        (await count('SELECT COUNT(*) AS n FROM studies WHERE version > 0 AND due_at IS NULL')) === STUDIES &&
        (await count("SELECT COUNT(*) AS n FROM deliveries WHERE state <> 'delivered'")) === 0 &&
        (await filesUnder(join(root, 'inbox'))).length === 0,
      300,
    );

    // every file taken exactly once: one finished record per inbox file, archived once
    const dropped = studies.length * 3;
    expect(await count('SELECT COUNT(*) AS n FROM files WHERE moved = 1')).toBe(dropped);
    expect(await count('SELECT COUNT(*) AS n FROM (SELECT inbox_path FROM files WHERE moved = 1 GROUP BY inbox_path HAVING COUNT(*) > 1) twice')).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'duplicate'")).toBe(0);
    const archived = await filesUnder(join(root, 'out', 'archive'));
    expect(archived.filter((file) => file.endsWith('.dcm'))).toHaveLength(studies.length * 2);
    // both instances did work
    expect(await count("SELECT COUNT(DISTINCT instance) AS n FROM files WHERE moved = 1")).toBe(2);

    // exactly one letter pair per study, each study at version 1
    expect(await count('SELECT COUNT(*) AS n FROM studies WHERE version <> 1')).toBe(0);
    const letters = [...(await filesUnder(join(root, 'out', 'letters'))), ...(await filesUnder(join(root, 'out', 'review')))].filter((file) => file.endsWith('.pdf'));
    expect(letters).toHaveLength(studies.length * 2);
    expect(await filesUnder(join(root, 'out', 'superseded'))).toEqual([]);

    // exactly one delivery per released study and destination, each a whole folder with its sidecar
    const released = await count("SELECT COUNT(*) AS n FROM studies WHERE state IN ('released', 'delivered')");
    expect(released).toBeGreaterThan(0);
    expect(await count("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'delivered'")).toBe(released);
    const delivered = await readdir(join(root, 'destination'));
    expect(delivered.filter((name) => name.startsWith('.'))).toEqual([]); // nothing half-written
    expect(delivered).toHaveLength(released);
    const uids = new Set(studies.map((study) => fixtureUids(study).study));
    const seen = new Set<string>();
    for (const folder of delivered) {
      const sidecar = JSON.parse(await readFile(join(root, 'destination', folder, SIDECAR_NAME), 'utf8')) as { study: { studyInstanceUid: string }; letters: unknown[] };
      expect(uids.has(sidecar.study.studyInstanceUid)).toBe(true);
      expect(seen.has(sidecar.study.studyInstanceUid)).toBe(false);
      seen.add(sidecar.study.studyInstanceUid);
      expect(sidecar.letters).toHaveLength(2);
    }
  }, 600_000);
});
