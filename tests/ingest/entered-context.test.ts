import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLINICAL_SETTINGS } from '../../src/clinical/settings.ts';
import { assessStudy } from '../../src/ingest/assess-study.ts';
import { mergeEnteredContext } from '../../src/ingest/entered-context.ts';
import { ingestPaths } from '../../src/ingest/ingest-paths.ts';
import { readContextFile } from '../../src/ingest/load-context.ts';
import { AssessedStudySchema } from '../../src/model/assessed-study.ts';
import { EMPTY_CONTEXT, type ClinicalContext, type ContextEntry, type ContextField } from '../../src/model/clinical-context.ts';
import { contextOf } from '../../src/web/context-form-view.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}/`, import.meta.url));

const SIDECAR = {
  menopausalStatus: 'pre',
  fractureHistory: [{ site: 'hip', ageAtFracture: 40, energy: 'high' }],
  gp: { name: 'J. Smit', address: ['Kerkstraat 1', '1000 AA Amsterdam'] },
};

const entry = (context: ContextEntry['context']): ContextEntry => ({ context, enteredBy: 'laura', enteredAt: '2026-12-02T08:00:00.000Z', reason: 'nagevraagd bij patiënte' });

describe('context entered on the review page, merged over the sidecar field by field', () => {
  let folder = '';
  const copy = async (name: string, files: string[]) => {
    for (const file of files) await cp(join(fixture(name), file), join(folder, file));
  };
  const assess = async (entered: ContextEntry | null) => {
    const { studies } = await ingestPaths([folder]);
    expect(studies).toHaveLength(1);
    return assessStudy(studies[0]!, undefined, DEFAULT_CLINICAL_SETTINGS, readContextFile, [], entered);
  };
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-entered-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('without an entry every value is the sidecar’s, and says so; the sidecar’s GP overrules the export’s referring physician, visibly', async () => {
    await copy('02-osteopenia-woman-58', ['SR0001.dcm', 'SR0002.dcm']);
    await writeFile(join(folder, 'context.json'), JSON.stringify(SIDECAR));
    const study = await assess(null);
    const file = join(folder, 'context.json');
    expect(study.errors).toEqual([]);
    expect(study.context.menopausalStatus).toBe('pre');
    expect(study.context.provenance).toEqual({
      menopausalStatus: { source: 'sidecar', file },
      fractureHistory: { source: 'sidecar', file },
      gp: { source: 'sidecar', file, overruled: { source: 'scanner', value: { name: expect.any(String) as string, address: [] } } },
    });
    expect(study.classification.path).toBe('Z');
  });

  it('an entry replaces only the fields it gives, and keeps what it overruled', async () => {
    await copy('02-osteopenia-woman-58', ['SR0001.dcm', 'SR0002.dcm']);
    await writeFile(join(folder, 'context.json'), JSON.stringify(SIDECAR));
    const file = join(folder, 'context.json');
    const study = await assess(entry({ menopausalStatus: 'post' }));
    expect(study.context).toMatchObject({ menopausalStatus: 'post', fractureHistory: SIDECAR.fractureHistory, gp: SIDECAR.gp, sources: [file] });
    expect(study.context.provenance).toMatchObject({
      entry: { enteredBy: 'laura', enteredAt: '2026-12-02T08:00:00.000Z', reason: 'nagevraagd bij patiënte' },
      menopausalStatus: { source: 'entered', overruled: { source: 'sidecar', file, value: 'pre' } },
      fractureHistory: { source: 'sidecar', file },
      gp: { source: 'sidecar', file },
    });
    // the entered status decides the scoring path: postmenopausal is the T path
    expect(study.classification.path).toBe('T');
    expect(study.classification.flags.map((f) => f.code)).not.toContain('MENOPAUSE_UNKNOWN');
  });

  it('an entry giving every field overrules each; a value equal to the sidecar’s overrules nothing', async () => {
    await copy('02-osteopenia-woman-58', ['SR0001.dcm', 'SR0002.dcm']);
    await writeFile(join(folder, 'context.json'), JSON.stringify(SIDECAR));
    const file = join(folder, 'context.json');
    const fractures = [{ site: 'wrist' as const, date: '2024-03-10', energy: 'low' as const }];
    const gp = { name: 'B. van der Hoek', practice: 'Huisartsenpraktijk De Linde', address: ['Lindelaan 4'], agb: '01234567' };
    const study = await assess(entry({ menopausalStatus: 'pre', fractureHistory: fractures, gp }));
    expect(study.context).toMatchObject({ menopausalStatus: 'pre', fractureHistory: fractures, gp });
    expect(study.context.provenance?.menopausalStatus).toEqual({ source: 'entered' });
    expect(study.context.provenance?.fractureHistory).toEqual({ source: 'entered', overruled: { source: 'sidecar', file, value: SIDECAR.fractureHistory } });
    expect(study.context.provenance?.gp).toEqual({ source: 'entered', overruled: { source: 'sidecar', file, value: SIDECAR.gp } });
  });

  it('with no sidecar, an entered GP clears NO_ADDRESSEE of an export without a referring physician', async () => {
    await copy('13-decimal-comma-woman-80', ['SR0001.dcm']);
    const without = await assess(entry({ menopausalStatus: 'post' }));
    expect(without.classification.holdingFlags).toEqual(['NO_ADDRESSEE']);
    expect(without.context.provenance?.gp).toBeUndefined();
    const study = await assess(entry({ menopausalStatus: 'post', gp: { name: 'B. van der Hoek', address: [] } }));
    expect(study.classification.flags.map((f) => f.code)).not.toContain('NO_ADDRESSEE');
    expect(study.classification.releasable).toBe(true);
    expect(study.context.provenance).toMatchObject({ menopausalStatus: { source: 'entered' }, gp: { source: 'entered' } });
    expect(study.context.provenance?.gp?.overruled).toBeUndefined();
  });

  it('a sidecar GP with a control character is refused like any bad sidecar; one no font can print holds the letters', async () => {
    await copy('13-decimal-comma-woman-80', ['SR0001.dcm']);
    await writeFile(join(folder, 'context.json'), JSON.stringify({ menopausalStatus: 'post', gp: { name: 'B. van\u202E der Hoek' } }));
    const refused = await assess(null);
    expect(refused.errors.map((e) => e.message).join()).toMatch(/gp\.name: holds a control character/);
    expect(refused.context.gp).toBeUndefined();
    await writeFile(join(folder, 'context.json'), JSON.stringify({ menopausalStatus: 'post', gp: { name: 'B. van der Hoek \u{10300}' } }));
    const unprintable = await assess(null);
    expect(unprintable.errors).toEqual([]);
    expect(unprintable.classification.holdingFlags).toEqual(['UNPRINTABLE_TEXT']);
    expect(unprintable.classification.flags.find((f) => f.code === 'UNPRINTABLE_TEXT')?.message).toContain('GP name: U+10300');
  });

  it('a result stored before provenance (and the GP’s practice and AGB code) was recorded still parses, its origins read from its sources', async () => {
    await copy('02-osteopenia-woman-58', ['SR0001.dcm', 'SR0002.dcm']);
    await writeFile(join(folder, 'context.json'), JSON.stringify({ menopausalStatus: 'post', fractureHistory: [], gp: { name: 'J. Smit', address: ['Kerkstraat 1'] } }));
    const study = await assess(null);
    const older = JSON.parse(JSON.stringify(study)) as { context: Record<string, unknown> };
    delete older.context['provenance'];
    older.context['gp'] = { name: 'J.\tSmit', address: ['Kerkstraat 1'] }; // stored before control characters were refused
    const parsed = AssessedStudySchema.safeParse(older);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.context.provenance).toBeUndefined();
    const file = join(folder, 'context.json');
    expect(contextOf(parsed.data).provenance).toEqual({ menopausalStatus: { source: 'sidecar', file }, gp: { source: 'sidecar', file } });
  });
});

describe("the scanner's menopausal status: the lowest source", () => {
  const file = '/exports/context.json';
  const sidecar = (context: Partial<ClinicalContext>) => ({ context: { ...EMPTY_CONTEXT, ...context }, chosen: { context: { ...EMPTY_CONTEXT, ...context }, file, given: Object.keys(context) as ContextField[] } });
  const none = { context: EMPTY_CONTEXT, chosen: null };

  it('when only the scanner gives it, the status is the scanner’s and says so', () => {
    const merged = mergeEnteredContext(none, null, null, 'post');
    expect(merged.context.menopausalStatus).toBe('post');
    expect(merged.provenance).toEqual({ menopausalStatus: { source: 'scanner' } });
  });

  it('without a status from the scanner nothing changes: unknown, from nobody', () => {
    const merged = mergeEnteredContext(none, null, null, null);
    expect(merged.context.menopausalStatus).toBe('unknown');
    expect(merged.provenance).toEqual({});
  });

  it('a sidecar’s status overrules the scanner’s, keeping it as overruled', () => {
    const merged = mergeEnteredContext(sidecar({ menopausalStatus: 'peri' }), null, null, 'post');
    expect(merged.context.menopausalStatus).toBe('peri');
    expect(merged.provenance.menopausalStatus).toEqual({ source: 'sidecar', file, overruled: { source: 'scanner', value: 'post' } });
  });

  it('a sidecar that gives unknown in so many words overrules it too, visibly', () => {
    const merged = mergeEnteredContext(sidecar({ menopausalStatus: 'unknown' }), null, null, 'post');
    expect(merged.context.menopausalStatus).toBe('unknown');
    expect(merged.provenance.menopausalStatus).toEqual({ source: 'sidecar', file, overruled: { source: 'scanner', value: 'post' } });
  });

  it('a sidecar saying the same as the scanner overrules nothing; one silent on the status leaves the scanner’s', () => {
    expect(mergeEnteredContext(sidecar({ menopausalStatus: 'post' }), null, null, 'post').provenance.menopausalStatus).toEqual({ source: 'sidecar', file });
    const silent = mergeEnteredContext(sidecar({ fractureHistory: [{ site: 'wrist', date: '2020-01-01', energy: 'low' }] }), null, null, 'post');
    expect(silent.context.menopausalStatus).toBe('post');
    expect(silent.provenance.menopausalStatus).toEqual({ source: 'scanner' });
  });

  it('an entry overrules both: what it overruled is the sidecar’s, which overruled the scanner’s', () => {
    const merged = mergeEnteredContext(sidecar({ menopausalStatus: 'peri' }), entry({ menopausalStatus: 'pre' }), null, 'post');
    expect(merged.context.menopausalStatus).toBe('pre');
    expect(merged.provenance.menopausalStatus).toEqual({ source: 'entered', overruled: { source: 'sidecar', file, value: 'peri' } });
  });

  it('an entry overrules the scanner’s status when no sidecar gives one', () => {
    const merged = mergeEnteredContext(none, entry({ menopausalStatus: 'unknown' }), null, 'post');
    expect(merged.context.menopausalStatus).toBe('unknown');
    expect(merged.provenance.menopausalStatus).toEqual({ source: 'entered', overruled: { source: 'scanner', value: 'post' } });
  });
});
