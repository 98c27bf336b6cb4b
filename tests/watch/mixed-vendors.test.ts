import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withExistingStore } from '../../src/cli/open-store.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { DEXA, runDexa } from '../helpers/run-cli.ts';
import { drop, filesUnder } from '../helpers/service.ts';
import { storeRows } from '../helpers/store-rows.ts';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

/** GE Enhanced SR (01, 14), the older GE format (22) and Hologic APEX (23–25, 23 with an IVA image). */
const STUDIES = ['01-normal-woman-62', '14-no-xml-copy-man-68', '22-older-ge-format-woman-66', '23-hologic-osteopenia-woman-66', '24-hologic-dual-hip-osteoporosis-woman-74', '25-hologic-forearm-man-71'];

interface Expected {
  study: { studyInstanceUid: string; manufacturer: string };
  instanceCount: number;
  classification: { category: string; releasable: boolean; flags: string[] };
}

interface Fixture {
  id: string;
  expected: Expected;
  /** the sidecar first, then the exports in their order */
  files: { name: string; bytes: Uint8Array }[];
}

async function loadFixture(id: string): Promise<Fixture> {
  const folder = join(FIXTURES, id);
  const names = (await readdir(folder)).filter((name) => name.endsWith('.dcm')).sort();
  return {
    id,
    expected: JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as Expected,
    files: await Promise.all(['context.json', ...names].map(async (name) => ({ name, bytes: await readFile(join(folder, name)) }))),
  };
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: () => Promise<string>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${await what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('a mixed inbox of GE and Hologic studies, through the real watcher', () => {
  let root = '';
  let service: ChildProcess | null = null;
  afterAll(async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((resolve) => service!.once('exit', resolve));
    }
    await rm(root, { recursive: true, force: true });
  });

  it('records each study once with its category, holds every Hologic and old-GE study, quarantines nothing and archives the IVA image', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-mixed-'));
    const inbox = join(root, 'inbox');
    const out = join(root, 'out');
    const db = join(root, 'data', 'dexa.db');
    const paths = ['--inbox', inbox, '--out', out, '--db', db];
    await writeFile(join(root, 'dexa.yaml'), 'watch:\n  settleSeconds: 0.2\n  quietSeconds: 1\n');
    const fixtures = await Promise.all(STUDIES.map(loadFixture));
    const dropped = fixtures.flatMap((fixture) => fixture.files.map((file) => `${fixture.id}/${file.name}`));

    let stderr = '';
    service = spawn(process.execPath, [DEXA, 'watch', '--no-web', ...paths, '--config', join(root, 'dexa.yaml')], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEXA_LOG_LEVEL: 'warn' } });
    service.stderr?.on('data', (chunk) => (stderr += chunk));
    // the service has made its store: it is up
    await until(async () => (await stat(db).catch(() => null)) !== null, 20_000, async () => stderr);

    // interleaved: one file of each study at a time, each study's sidecar with its first export
    const rounds = Math.max(...fixtures.map((fixture) => fixture.files.length - 1));
    for (let round = 0; round < rounds; round++) {
      for (const fixture of fixtures) {
        const files = round === 0 ? fixture.files.slice(0, 2) : fixture.files.slice(round + 1, round + 2);
        if (files.length > 0) await drop(inbox, fixture.id, files);
      }
    }

    const status = async () => {
      const run = await runDexa(['status', ...paths, '--json']);
      if (run.code !== 0) throw new Error(`dexa status failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as { files: Record<string, number>; studies: Record<string, number>; letters: Record<string, number>; waiting: number };
    };
    // settled: every file taken and moved out of the inbox, no study waiting for its quiet period, two letters for each decided study
    // (read from the store: polling with `dexa status` would take the CPU from the service; a file the service could not read
    // makes the assertions below fail on what it did, not on a timeout)
    const store = storeRows(db);
    const settled = async () =>
      (await filesUnder(inbox)).length === 0 &&
      store.count('SELECT COUNT(*) AS n FROM files WHERE moved = 1') === dropped.length &&
      store.count("SELECT COUNT(*) AS n FROM studies WHERE due_at IS NOT NULL OR claimed_by IS NOT NULL OR state = 'received'") === 0 &&
      store.count("SELECT COUNT(*) AS n FROM letters WHERE state IN ('released', 'review')") === 2 * store.count("SELECT COUNT(*) AS n FROM studies WHERE state IN ('held', 'released')");
    await until(settled, 45_000, async () => `${JSON.stringify(await status())} ${stderr}`);

    // nothing quarantined (a file no reader takes would be, with its reason beside it)
    expect(await filesUnder(join(out, 'quarantine'))).toEqual([]);

    const finalStatus = await status();
    expect(finalStatus).toMatchObject({ waiting: 0, unknownLetters: [], temporaryFiles: [], missingLetters: [] });
    expect(finalStatus.files).toEqual({ context: 6, stored: dropped.length - 6 }); // the IVA image stored with its study, not set aside
    expect(finalStatus.studies).toEqual({ held: 5, released: 1 });
    expect(finalStatus.letters).toEqual({ released: 2, review: 10 });

    // the review list: the five held studies, once each, with their category and the hold that Hologic and the old GE format get
    const list = await runDexa(['review', 'list', ...paths]);
    expect(list.code).toBe(0);
    const listed = list.stdout.split('\n').filter((line) => line.trim());
    for (const { expected } of fixtures) {
      const uid = expected.study.studyInstanceUid;
      const lines = listed.filter((line) => line.includes(`${uid} (version`));
      if (expected.classification.releasable) {
        expect(lines, `${uid} is released, not held`).toHaveLength(0);
        continue;
      }
      expect(lines, `${uid} listed once as held`).toHaveLength(1);
      const summary = listed[listed.indexOf(lines[0]!) - 1]!;
      expect(summary).toContain(` ${expected.classification.category} `);
      // the list names the flags that hold a study: for each of these, its values are unverified
      expect(expected.classification.flags).toContain('UNVERIFIED_VALUES');
      expect(summary).toContain('UNVERIFIED_VALUES');
    }
    expect(listed).toHaveLength(2 * 5);

    // as a reviewer opens them (one CLI run each, so two of them: the store below has the rest): 01 released, 23 held with all its flags
    for (const { id, expected } of fixtures.filter((fixture) => /^(01|23)-/.test(fixture.id))) {
      const show = await runDexa(['review', 'show', expected.study.studyInstanceUid, ...paths]);
      expect(show.code, `${id}: ${show.stderr}`).toBe(0);
      const state = expected.classification.releasable ? 'released' : 'held';
      expect(show.stdout).toMatch(new RegExp(`^study ${expected.study.studyInstanceUid.replaceAll('.', '\\.')} \\(\\d+\\), \\S+, state ${state}, version 1$`, 'm'));
      expect(show.stdout).toContain(`result: ${expected.classification.category} (`);
      for (const flag of expected.classification.flags) expect(show.stdout).toContain(`flag ${flag} (`);
    }

    service.kill('SIGTERM');
    expect(await new Promise((resolve) => service!.once('exit', resolve))).toBe(0);

    // the store: one record per study, every export an instance of it (the IVA image too), the scanner's maker as it wrote it
    await withExistingStore(db, async (store) => {
      expect(await store.studies.held()).toHaveLength(5);
      for (const { id, expected } of fixtures) {
        const record = await store.studies.byUid(expected.study.studyInstanceUid);
        expect(record, id).toBeDefined();
        expect(record!.version, id).toBe(1);
        const result = (await store.studies.storedResult(record!, record!.version))!;
        expect(result.classification.category, id).toBe(expected.classification.category);
        expect(result.classification.releasable, id).toBe(expected.classification.releasable);
        expect(result.classification.flags.map((flag) => flag.code).sort(), id).toEqual([...expected.classification.flags].sort());
        expect(record!.state, id).toBe(expected.classification.releasable ? 'released' : 'held');
        expect(result.study.manufacturer, id).toBe(expected.study.manufacturer);
        expect(result.instances, id).toHaveLength(expected.instanceCount);
        expect(result.errors, id).toEqual([]);
        // the GP's letter (a draft when held) names the scanner
        const gp = (await store.letters.ofStudy(record!.id)).find((letter) => letter.kind === 'gp' && letter.state !== 'superseded')!;
        const text = (await extractPdfText(await readFile(gp.path))).join(' ').replace(/\s+/g, ' ');
        expect(text, id).toContain(expected.study.manufacturer === 'HOLOGIC' ? 'op een Hologic ' : 'op een GE Healthcare Lunar ');
        if (id.startsWith('23-')) {
          // the IVA image: an instance of the study without results, kept with a warning
          expect(result.instances.map((instance) => instance.file)).toContain(`${id}/HL0004.dcm`);
          expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_SCAN', message: expect.stringContaining('Hologic IVA (VFA) image') }));
        }
      }
    });
    expect(fixtures.filter((f) => f.expected.study.manufacturer === 'HOLOGIC').map((f) => f.id)).toEqual(STUDIES.slice(3));

    // out/: no reason file anywhere; every dropped file archived under its own folder; the inbox empty
    const everything = await filesUnder(out);
    expect(everything.filter((path) => path.endsWith('.reason.txt'))).toEqual([]);
    const archived = (await filesUnder(join(out, 'archive'))).map((path) => relative(join(out, 'archive'), path).split('/').slice(1).join('/'));
    expect(archived.sort()).toEqual([...dropped].sort());
    expect(archived).toContain('23-hologic-osteopenia-woman-66/HL0004.dcm');
    expect(await filesUnder(inbox)).toEqual([]);

    // the letters: 01's released, the others in review; a Hologic study's letter names its scanner
    expect((await filesUnder(join(out, 'letters'))).filter((f) => f.endsWith('.pdf'))).toHaveLength(2);
    expect((await filesUnder(join(out, 'review'))).filter((f) => f.endsWith('.pdf'))).toHaveLength(10);
  }, 60_000);
});
