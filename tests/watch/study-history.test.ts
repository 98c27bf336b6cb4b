import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import type { StudyRecord } from '../../src/store/study-records.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { vfaRead } from '../../src/fixtures/vfa-builders.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const HOLOGIC = { manufacturer: 'HOLOGIC', model: 'Horizon A', serial: '55501', software: '13.6.1' };

async function run(service: TestService, ...studies: FixtureStudy[]) {
  for (const study of studies) {
    await drop(service.inbox, study.id, studyFiles(study));
    await service.service.idle();
  }
}

async function recordOf(service: TestService, study: FixtureStudy): Promise<StudyRecord> {
  return (await service.store.studies.byUid(fixtureUids(study).study))!;
}

async function latest(service: TestService, study: FixtureStudy): Promise<AssessedStudy> {
  const record = await recordOf(service, study);
  return (await service.store.studies.storedResult(record, record.version))!;
}

async function gpText(service: TestService, study: FixtureStudy): Promise<string> {
  const record = await recordOf(service, study);
  const gp = (await service.store.letters.ofStudy(record.id)).filter((l) => l.kind === 'gp' && l.state !== 'superseded').at(-1)!;
  return (await extractPdfText(await readFile(gp.path))).join(' ').replace(/\s+/g, ' ');
}

describe('studies over time', () => {
  let service: TestService | null = null;
  afterEach(async () => {
    await service?.close();
    service = null;
  });

  it('compares with the prior of a year before: a significant loss is named, with its numbers', async () => {
    service = await startTestService();
    const before = syntheticStudy('prior-sig', { patientId: 'P-HIST-1', studyDate: '2025-05-20', neck: -1.4 });
    const now = syntheticStudy('current-sig', { patientId: 'P-HIST-1', studyDate: '2026-05-26', neck: -1.8 });
    await run(service, before, now);
    const comparison = (await latest(service, now)).classification.comparison!;
    expect(comparison).toMatchObject({ quantitative: true, priorDate: '2025-05-20', priorStudyInstanceUid: fixtureUids(before).study });
    const neck = comparison.rows.find((row) => row.region === 'femoral_neck' && row.side === 'left')!;
    expect(neck).toMatchObject({ priorBmd: 0.812, currentBmd: 0.764, deltaBmd: -0.048, significant: true });
    const text = await gpText(service, now);
    expect(text).toContain('Vergelijking met de vorige meting');
    expect(text).toContain('femurhals links 0,812 0,764 -0,048 -5,9 significante afname');
    expect(text).toContain('Significante verandering van de BMD ten opzichte van 20 mei 2025: femurhals links');
  });

  it('calls a change below the LSC no significant change, without words of loss or gain', async () => {
    service = await startTestService();
    const before = syntheticStudy('prior-same', { patientId: 'P-HIST-2', studyDate: '2025-05-20', neck: -1.7 });
    const now = syntheticStudy('current-same', { patientId: 'P-HIST-2', studyDate: '2026-05-26', neck: -1.8 });
    await run(service, before, now);
    expect((await latest(service, now)).classification.comparison!.rows.every((row) => !row.significant)).toBe(true);
    const text = await gpText(service, now);
    expect(text).toContain('Geen significante verandering van de BMD ten opzichte van 20 mei 2025.');
    expect(text).not.toMatch(/afname|toename|verlies|winst/);
  });

  it('a prior from another manufacturer gives categories only and holds the letters', async () => {
    service = await startTestService();
    const before = syntheticStudy('prior-hologic', { patientId: 'P-HIST-3', studyDate: '2025-05-20', neck: -1.2, scanner: HOLOGIC });
    const now = syntheticStudy('current-ge', { patientId: 'P-HIST-3', studyDate: '2026-05-26', neck: -1.8 });
    await run(service, before, now);
    const result = (await latest(service, now)).classification;
    expect(result.comparison).toMatchObject({ quantitative: false, rows: [], priorCategory: 'osteopenia' });
    expect(result.flags.map((f) => f.code)).toContain('NO_QUANTITATIVE_COMPARISON');
    expect(result.releasable).toBe(false);
    expect(await gpText(service, now)).toContain('op een ander type apparaat gedaan; de BMD-waarden zijn daarom niet met elkaar vergeleken. Uitslag toen: osteopenie.');
  });

  it('a prior that arrives after the later study still reaches it: the later study gets a new version', async () => {
    service = await startTestService();
    const before = syntheticStudy('late-prior', { patientId: 'P-HIST-4', studyDate: '2025-05-20', neck: -1.4 });
    const now = syntheticStudy('early-current', { patientId: 'P-HIST-4', studyDate: '2026-05-26', neck: -1.8 });
    await run(service, now, before);
    await service.service.idle();
    expect((await latest(service, now)).classification.comparison?.priorStudyInstanceUid).toBe(fixtureUids(before).study);
    const record = await recordOf(service, now);
    expect(record.version).toBe(2);
    expect((await service.store.audit.of(record.id)).at(-1)?.detail).toContain('prior study changed');
  });

  it('draws the trend over every earlier study on the same scanner type; an older one arriving late makes a new version with it', async () => {
    service = await startTestService();
    const current = FIXTURE_STUDIES.find((study) => study.id.startsWith('27-'))!;
    const [oldest, middle] = current.priors!;
    await run(service, middle!, current);
    const before = (await latest(service, current)).classification.trend!;
    expect(before.series.every((series) => series.points.map((p) => p.date).join() === '2024-09-24,2026-10-06')).toBe(true);
    await run(service, oldest!);
    await service.service.idle();
    const record = await recordOf(service, current);
    expect(record.version).toBe(2);
    const trend = (await latest(service, current)).classification.trend!;
    expect(trend.series).toHaveLength(5);
    for (const series of trend.series) expect(series.points.map((p) => p.date)).toEqual(['2022-09-20', '2024-09-24', '2026-10-06']);
    expect((await service.store.audit.of(record.id)).at(-1)?.detail).toContain('earlier studies in the trend changed');
    const text = await gpText(service, current);
    expect(text).toContain('Verloop van de BMD De BMD per regio op hetzelfde type apparaat sinds 20 september 2022');
    expect(text).toContain('-0,072 significant');
  });

  it('a VFA that arrives later makes a new version; the old letters are kept and the audit log says why', async () => {
    service = await startTestService();
    const study = syntheticStudy('late-vfa', { neck: -2.6 });
    await run(service, study);
    const vfa = { ...study, profileInstances: [{ vfa: vfaRead([{ level: 'T9', shape: 'crush', reduction: 0.3 }]), bmd: [] }] };
    await drop(service.inbox, 'later', studyFiles(vfa).filter((f) => f.name.startsWith('PR')));
    await service.service.idle();
    const record = await recordOf(service, study);
    expect(record.version).toBe(2);
    expect(record).toMatchObject({ state: 'amended', releasedVersion: 2 }); // version 1 had gone out: version 2 amends it
    expect((await latest(service, study)).classification.category).toBe('severe_osteoporosis');
    const letters = await service.store.letters.ofStudy(record.id);
    expect(letters.filter((l) => l.state === 'superseded').map((l) => l.version)).toEqual([1, 1]);
    expect(letters.filter((l) => l.state === 'released').map((l) => l.version)).toEqual([2, 2]);
    for (const letter of letters) expect((await filesUnder(join(service.out))).includes(letter.path)).toBe(true);
    const audit = await service.store.audit.of(record.id);
    expect(audit.map((entry) => entry.action)).toEqual(['classified', 'classified']);
    expect(audit[1]?.detail).toMatch(/^version 2: severe_osteoporosis; new instance\(s\): later\/PR1\.dcm; letters released, amending the earlier release$/);
  });

  it('keeps the superseded letters of two studies that share letter names, each as it was recorded', async () => {
    service = await startTestService();
    // same study date and accession: the second study's letters take the names the first one's left in letters/
    const first = syntheticStudy('share-a');
    const second = syntheticStudy('share-b');
    for (const study of [first, second]) {
      const [sr1, sr2, context] = studyFiles(study);
      await drop(service.inbox, study.id, [sr1!, context!]);
      await service.service.idle();
      await drop(service.inbox, study.id, [sr2!]);
      await service.service.idle();
    }
    const letters = service.rows<{ path: string; state: string; sha256: string }>('SELECT path, state, sha256 FROM letters ORDER BY id');
    expect(letters.filter((letter) => letter.state === 'superseded')).toHaveLength(4);
    expect(new Set(letters.map((letter) => letter.path)).size).toBe(8);
    for (const letter of letters) expect(`${letter.path} ${createHash('sha256').update(await readFile(letter.path)).digest('hex')}`).toBe(`${letter.path} ${letter.sha256}`);
  });
});
