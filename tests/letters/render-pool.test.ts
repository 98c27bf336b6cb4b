import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { RenderPool } from '../../src/letters/render-pool.ts';
import { assessedFixture } from '../helpers/letters.ts';

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

describe('the render pool', () => {
  afterEach(() => vi.restoreAllMocks());

  it('closed while its thread still loads, the thread ends by itself: no terminate()', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    for (const wait of [0, 20, 150]) {
      const pool = new RenderPool(1, { language: 'nl', templatesRoot: TEMPLATES });
      await new Promise((resolve) => setTimeout(resolve, wait));
      await pool.close();
    }
    expect(terminate).not.toHaveBeenCalled();
  });

  it('a letter asked for before the close is still answered; after the close none is taken', async () => {
    const study = await assessedFixture('01-');
    const pool = new RenderPool(2, { language: 'nl', templatesRoot: TEMPLATES });
    const letters = pool.render(study, DEFAULT_CONFIG, { kinds: ['gp'], letterDate: '2026-06-01', creationDate: new Date('2026-06-01T10:00:00Z') });
    const closed = pool.close();
    const [gp] = await letters;
    expect((await extractPdfText(gp!.pdf)).join(' ')).toContain('huisarts');
    await closed;
    await expect(pool.render(study, DEFAULT_CONFIG, { kinds: ['gp'], letterDate: '2026-06-01', creationDate: new Date() })).rejects.toThrow('the render pool is closed');
  });

  it('renders within its memory bound the letters that need every fallback font: Chinese, Arabic, Hebrew, Thai and an emoji in the name', async () => {
    const base = await assessedFixture('01-');
    const study = { ...base, patient: { ...base.patient, name: { ...base.patient.name!, family: '陳 الحسيني כהן สมชาย 😀', given: 'Anna' } } };
    const pool = new RenderPool(1, { language: 'nl', templatesRoot: TEMPLATES });
    try {
      const letters = await pool.render(study, DEFAULT_CONFIG, { kinds: ['gp', 'patient'], letterDate: '2026-06-01', creationDate: new Date('2026-06-01T10:00:00Z') });
      expect(letters.map((letter) => letter.kind)).toEqual(['gp', 'patient']);
      const text = (await extractPdfText(letters[1]!.pdf)).join(' ');
      for (const part of ['陳', 'الحسيني', 'כהן', 'สมชาย', '😀']) expect(text).toContain(part);
    } finally {
      await pool.close();
    }
  });

  it("renders a study's two letters on two idle threads once both are up, and gives them back in the order asked", async () => {
    const study = await assessedFixture('01-');
    const sent: { worker: Worker; kinds: string[] }[] = [];
    const post = Worker.prototype.postMessage;
    vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, message: unknown) {
      const kinds = (message as { request?: { kinds: string[] } }).request?.kinds;
      if (kinds) sent.push({ worker: this, kinds });
      post.call(this, message);
    });
    const pool = new RenderPool(2, { language: 'nl', templatesRoot: TEMPLATES });
    try {
      let apart = false;
      // the first study starts the second thread; it takes letters once it has loaded
      for (let attempt = 0; attempt < 40 && !apart; attempt++) {
        sent.length = 0;
        const letters = await pool.render(study, DEFAULT_CONFIG, { kinds: ['patient', 'gp'], letterDate: '2026-06-01', creationDate: new Date('2026-06-01T10:00:00Z') });
        expect(letters.map((letter) => letter.kind)).toEqual(['patient', 'gp']);
        // whole while the second thread loads; then one job per letter, each on its own thread
        if (sent.length === 1) expect(sent[0]!.kinds).toEqual(['patient', 'gp']);
        else {
          expect(sent.map((job) => job.kinds)).toEqual([['patient'], ['gp']]);
          expect(sent[0]!.worker).not.toBe(sent[1]!.worker);
          apart = true;
        }
        if (!apart) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(apart).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
