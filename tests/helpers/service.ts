import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { writeProfileSrInstance } from '../../src/fixtures/write-profile-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import type { StudyStore } from '../../src/store/study-store.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { storeRows, type StoreRows } from './store-rows.ts';

export interface TestService extends StoreRows {
  root: string;
  inbox: string;
  out: string;
  database: string;
  service: RunningService;
  /** the running service's own store */
  store: StudyStore;
  close(): Promise<void>;
}

/** What a test may set besides the watch settings. */
export interface ServiceExtras {
  retryMs?: number;
  failureBackoffMs?: number;
  department?: Partial<DepartmentConfig['department']>;
  files?: DepartmentConfig['files'];
  limits?: Partial<DepartmentConfig['limits']>;
  deliveries?: DepartmentConfig['deliveries'];
}

/** The real service on a temporary inbox/out/store, with short settle and quiet periods. */
export async function startTestService(
  config: Partial<DepartmentConfig['watch']> = {},
  root?: string,
  extra: ServiceExtras = {},
): Promise<TestService> {
  const base = root ?? (await mkdtemp(join(tmpdir(), 'dexa-service-')));
  const paths = { inbox: join(base, 'inbox'), out: join(base, 'out'), database: join(base, 'data', 'dexa.db') };
  const service = await startService({
    ...paths,
    config: { ...DEFAULT_CONFIG, department: { ...DEFAULT_CONFIG.department, ...extra.department }, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2, ...config }, files: extra.files ?? DEFAULT_CONFIG.files, limits: { ...DEFAULT_CONFIG.limits, ...extra.limits }, deliveries: extra.deliveries ?? DEFAULT_CONFIG.deliveries },
    templates: await loadTemplates('nl'),
    logger: pino({ level: 'silent' }),
    ...(extra.retryMs ? { retryMs: extra.retryMs } : {}),
    ...(extra.failureBackoffMs ? { failureBackoffMs: extra.failureBackoffMs } : {}),
  });
  return {
    root: base,
    ...paths,
    service,
    store: service.store,
    ...storeRows(paths.database),
    async close() {
      await service.stop();
      if (!root) await rm(base, { recursive: true, force: true });
    },
  };
}

/** Every SR file of a fixture study, as it would land in an inbox folder. */
export function studyFiles(study: FixtureStudy): { name: string; bytes: Uint8Array }[] {
  return [
    ...study.instances.map((_, i) => ({ name: `SR${i + 1}.dcm`, bytes: writeGeSrInstance(study, i) })),
    ...study.profileInstances.map((_, i) => ({ name: `PR${i + 1}.dcm`, bytes: writeProfileSrInstance(study, i) })),
    ...(study.context ? [{ name: 'context.json', bytes: new TextEncoder().encode(JSON.stringify(study.context)) }] : []),
  ];
}

export async function drop(inbox: string, folder: string, files: { name: string; bytes: Uint8Array | string }[]): Promise<void> {
  for (const file of files) {
    const path = join(inbox, folder, file.name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.bytes);
  }
}

export async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)).sort();
}

/** After a test: its service stopped and its temporary root removed; returns the emptied pair to assign back. */
export async function cleanUp(running: TestService | null, root: string): Promise<[null, '']> {
  await running?.close();
  if (root) await rm(root, { recursive: true, force: true });
  return [null, ''];
}
