import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { readContextFile } from '../../src/ingest/load-context.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/02-osteopenia-woman-58/', import.meta.url));

describe('clinical context sidecars', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-context-'));
    await cp(join(FIXTURE, 'SR0001.dcm'), join(folder, 'SR0001.dcm'));
    await cp(join(FIXTURE, 'SR0002.dcm'), join(folder, 'SR0002.dcm'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  const assessFolder = async () => {
    const { studies } = await ingestPaths([folder]);
    expect(studies).toHaveLength(1);
    return assessStudy(studies[0]!);
  };
  const write = (name: string, value: unknown) => writeFile(join(folder, name), typeof value === 'string' ? value : JSON.stringify(value));

  it('without a sidecar, menopausal status is unknown and the study is held', async () => {
    const study = await assessFolder();
    expect(study.context).toMatchObject({ menopausalStatus: 'unknown', sources: [] });
    expect(study.classification.flags.map((f) => f.code)).toContain('MENOPAUSE_UNKNOWN');
  });

  it.each(['SR0001.dcm.context.json', 'SR0002.context.json', 'context.json'])('finds %s', async (name) => {
    await write(name, { menopausalStatus: 'post' });
    const study = await assessFolder();
    expect(study.errors).toEqual([]);
    expect(study.context.sources).toEqual([join(folder, name)]);
    expect(study.classification.releasable).toBe(true);
  });

  it('a bad sidecar is an error naming the file and the key, never ignored', async () => {
    await write('context.json', { menopausalStatus: 'after', fractureHistory: [{ site: 'wrist', energy: 'low' }] });
    const study = await assessFolder();
    expect(study.errors).toHaveLength(1);
    expect(study.errors[0]?.message).toContain(join(folder, 'context.json'));
    expect(study.errors[0]?.message).toContain('menopausalStatus');
    expect(study.errors[0]?.message).toContain('fractureHistory.0');
    expect(study.classification.releasable).toBe(false);
  });

  it('a sidecar that is not JSON is an error', async () => {
    await write('SR0001.context.json', '{ menopausalStatus: post');
    expect((await assessFolder()).errors[0]?.message).toMatch(/SR0001\.context\.json is not valid JSON/);
  });

  it('an unknown key is an error, so a typo cannot pass for an absent value', async () => {
    await write('context.json', { menopausalStatus: 'post', fractureHistroy: [] });
    expect((await assessFolder()).errors[0]?.message).toContain('fractureHistroy');
  });

  it('two sidecars that disagree are an error', async () => {
    await write('context.json', { menopausalStatus: 'post' });
    await write('SR0001.context.json', { menopausalStatus: 'pre' });
    const study = await assessFolder();
    expect(study.errors.map((e) => e.message).join()).toContain('clinical contexts disagree');
  });

  it('a sidecar attached to an export but naming another patient is an error', async () => {
    await write('SR0001.context.json', { patientId: 'SOMEONE-ELSE', menopausalStatus: 'post' });
    expect((await assessFolder()).errors[0]?.message).toContain('is for patient SOMEONE-ELSE, not SYN0002');
  });

  it("a folder's context.json naming another study belongs to that study, not this one", async () => {
    await write('context.json', { studyInstanceUid: '1.2.3.4', menopausalStatus: 'pre' });
    const study = await assessFolder();
    expect(study.errors).toEqual([]);
    expect(study.context.menopausalStatus).toBe('unknown');
  });

  it('reads a fracture history and counts what qualifies', async () => {
    await write('context.json', { menopausalStatus: 'post', fractureHistory: [{ site: 'hip', ageAtFracture: 55, energy: 'low' }] });
    const study = await assessFolder();
    expect(study.classification.fragilityFractures).toEqual([{ source: 'history', site: 'hip', grade: null, date: null }]);
  });

  it('readContextFile: a missing file is no context, not an error', async () => {
    expect(await readContextFile(join(folder, 'none.json'))).toBeNull();
  });
});
