import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { fixtureStudy, instanceBytes } from '../helpers/exports.ts';
import { ctImage } from '../helpers/other-objects.ts';
import { ndjson, runDexa } from '../helpers/run-cli.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

describe('dexa ingest, run as a user would', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dexa-cli-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('prints one JSON object per fixture study and exits 0', async () => {
    const run = await runDexa(['ingest', '--json', FIXTURES]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const studies = ndjson(run.stdout);
    // every fixture study, and the earlier studies some keep in priors/
    expect(studies).toHaveLength(FIXTURE_STUDIES.reduce((n, study) => n + 1 + (study.priors?.length ?? 0), 0));
    for (const study of studies as any[]) {
      expect(study.study.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
      expect(study.study.studyDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const fixture = FIXTURE_STUDIES.flatMap((candidate) => [candidate, ...(candidate.priors ?? [])]).find((candidate) => candidate.studyDate === study.study.studyDate && candidate.patient.id === study.patient.id);
      expect(study.study.manufacturer).toBe(fixture?.scanner.manufacturer);
      expect(['female', 'male']).toContain(study.patient.sex);
      expect(study.patient.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(study.errors).toEqual([]);
      expect(study.measurements.length).toBeGreaterThan(0);
      for (const m of study.measurements) {
        expect(Object.keys(m)).toEqual(expect.arrayContaining(['region', 'side', 'bmd', 'tScore', 'zScore']));
        for (const key of ['bmd', 'tScore', 'zScore']) expect(m[key] === null || typeof m[key] === 'number').toBe(true);
      }
    }
    const dualHip = (studies as any[]).find((s) => s.patient.id === 'SYN0010');
    expect(dualHip.measurements.find((m: any) => m.region === 'femoral_neck' && m.side === 'left')).toMatchObject({ bmd: 0.656, tScore: -2.7 });
  });

  it('goes on past bad files, names each on stderr, gives each an error object, and exits 2', async () => {
    const folder = join(work, 'mixed');
    await cp(join(FIXTURES, '02-osteopenia-woman-58'), join(folder, 'good'), { recursive: true });
    const whole = instanceBytes(fixtureStudy('03'), 0);
    await writeFile(join(folder, 'empty.dcm'), new Uint8Array(0));
    await writeFile(join(folder, 'random.dcm'), Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
    await writeFile(join(folder, 'ct.dcm'), ctImage());
    await writeFile(join(folder, 'truncated.dcm'), whole.subarray(0, Math.floor(whole.length * 0.6)));

    const run = await runDexa(['ingest', '--json', folder]);
    expect(run.code).toBe(2);
    const lines = ndjson(run.stdout) as any[];
    const studies = lines.filter((line) => 'study' in line);
    const failures = lines.filter((line) => 'error' in line);
    expect(studies).toHaveLength(1);
    expect(studies[0].measurements.length).toBeGreaterThan(0);
    expect(failures.map((f) => [f.file.split('/').pop(), f.code]).sort()).toEqual([
      ['ct.dcm', 'NOT_SR'],
      ['empty.dcm', 'EMPTY_FILE'],
      ['random.dcm', 'NOT_DICOM'],
      ['truncated.dcm', 'TRUNCATED'],
    ]);
    const stderr = run.stderr.trim().split('\n');
    expect(stderr).toHaveLength(4);
    for (const name of ['ct.dcm', 'empty.dcm', 'random.dcm', 'truncated.dcm']) {
      expect(stderr.some((line) => line.startsWith('dexa: ') && line.includes(name))).toBe(true);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads named files too, and a missing path is bad input', async () => {
    const run = await runDexa(['ingest', '--json', join(FIXTURES, '09-forearm-only-woman-58', 'SR0001.dcm'), join(work, 'nope.dcm')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nope.dcm: no such file or folder');
    expect(ndjson(run.stdout).filter((line) => 'study' in line)).toHaveLength(1);
  });

  it('prints a readable table without --json', async () => {
    const run = await runDexa(['ingest', join(FIXTURES, '05-t-minus-2-5-woman-67')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('date 2026-04-22 · GE Healthcare Lunar Prodigy Advance · 2 instance(s)');
    expect(run.stdout).toMatch(/total_hip\s+right\s+0\.700\s+-2\.5/);
  });

  it('exits 1 with usage help when no path is given', async () => {
    const run = await runDexa(['ingest']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("missing required argument 'paths'");
  });
});

describe('dexa ingest with classification and clinical context', () => {
  let work = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dexa-cli-context-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('classifies every fixture as its expected.json says, with exactly the values the generator was given', async () => {
    const run = await runDexa(['ingest', '--json', FIXTURES]);
    expect(run.code).toBe(0);
    const studies = ndjson(run.stdout) as any[];
    const byRegion = (list: any[]) => [...list].sort((a, b) => `${a.region}|${a.side}`.localeCompare(`${b.region}|${b.side}`));
    for (const study of FIXTURE_STUDIES) {
      const expected = JSON.parse(await readFile(join(FIXTURES, study.id, 'expected.json'), 'utf8'));
      const found = studies.find((s) => s.study.studyInstanceUid === expected.study.studyInstanceUid);
      expect(byRegion(found.measurements.map(({ source: _source, ...values }: any) => values)), study.id).toEqual(byRegion(expected.measurements));
      expect(found.study, study.id).toMatchObject(expected.study);
      expect(found.study.vendorCategory, study.id).toBe(expected.vendorCategory);
      expect(found.classification, study.id).toMatchObject({
        category: study.expected.category, path: study.expected.path, indexRegion: study.expected.indexRegion,
        indexSide: study.expected.indexSide, indexScore: study.expected.indexScore, nhgBinary: study.expected.nhgBinary,
        releasable: study.expected.releasable,
      });
    }
  });

  it('--context supplies the clinical context for the studies read', async () => {
    const folder = join(work, 'no-context');
    await cp(join(FIXTURES, '13-decimal-comma-woman-80', 'SR0001.dcm'), join(folder, 'SR0001.dcm'), { recursive: true });
    const without = ndjson((await runDexa(['ingest', '--json', folder])).stdout)[0] as any;
    expect(without.classification.flags.map((f: any) => f.code)).toContain('MENOPAUSE_UNKNOWN');
    await writeFile(join(work, 'post.json'), JSON.stringify({ menopausalStatus: 'post' }));
    const run = await runDexa(['ingest', '--json', '--context', join(work, 'post.json'), folder]);
    expect(run.code).toBe(0);
    const withContext = ndjson(run.stdout)[0] as any;
    expect(withContext.classification.flags.map((f: any) => f.code)).not.toContain('MENOPAUSE_UNKNOWN');
    // what still holds fixture 13: its export names no referring physician
    expect(withContext.classification.holdingFlags).toEqual(['NO_ADDRESSEE']);
    expect(withContext.context.sources).toEqual([join(work, 'post.json')]);
  });

  it('a bad --context file stops before anything is read, naming the file and the key', async () => {
    await writeFile(join(work, 'bad.json'), JSON.stringify({ menopausalStatus: 'maybe' }));
    const run = await runDexa(['ingest', '--json', '--context', join(work, 'bad.json'), FIXTURES]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad.json is not a valid clinical context: menopausalStatus:');
  });
});
