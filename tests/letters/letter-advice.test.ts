import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { renderStudyLetters } from '../../src/letters/render-letters.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { assessedFixture, lettersOf } from '../helpers/letters.ts';

async function textsOf(study: AssessedStudy): Promise<{ gp: string; patient: string }> {
  const letters = await renderStudyLetters(study, DEFAULT_CONFIG, await loadTemplates('nl'), { kinds: ['gp', 'patient'], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') });
  const read = async (i: number) => (await extractPdfText(letters[i]!.pdf)).join('\n').replace(/\s+/g, ' ');
  return { gp: await read(0), patient: await read(1) };
}

describe('advice in the letters is worded from the clinical advice ids (clinical-rules §10.8)', () => {
  it('fixture 06 (man of 46, Z path): no fall prevention in either letter; testosterone plainly, not as "(bij mannen)"', async () => {
    const { gp, patient } = await lettersOf('06');
    expect(gp.text).not.toContain('Valpreventie');
    expect(patient.text).not.toContain('Voorkom vallen');
    expect(gp.text).toContain('TSH, vitamine D en testosteron.');
    expect(gp.text).not.toContain('bij mannen');
  });

  it('a woman\'s letter never mentions testosterone', async () => {
    const man = await assessedFixture('06');
    const woman: AssessedStudy = { ...man, patient: { ...man.patient, sex: 'female' } };
    const { gp } = await textsOf(woman);
    expect(gp).toContain('De Z-score van -2,0 of lager maakt een secundaire oorzaak mogelijk');
    expect(gp).toContain('TSH en vitamine D.');
    expect(gp).not.toMatch(/testosteron|bij mannen/);
  });

  it('from 50 the patient letter has the fall-prevention advice; the GP letter after a low result', async () => {
    const { gp, patient } = await lettersOf('02');
    expect(gp.text).toContain('Valpreventie');
    expect(patient.text).toContain('Voorkom vallen');
  });

  it('vitamin D: the same dose in both letters when a supplement is advised; the seeds\' 10 to 20 microgram otherwise', async () => {
    const low = await lettersOf('02');
    expect(low.gp.text).toContain('vitamine D3 20 microgram (800 IE) per dag');
    expect(low.patient.text).toContain('Neem elke dag een tablet vitamine D van 20 microgram');
    const normal = await lettersOf('01');
    expect(normal.gp.text).not.toContain('vitamine D3');
    expect(normal.patient.text).toContain('elke dag een tablet vitamine D van 10 tot 20 microgram');
    expect(normal.patient.text).toContain('Kalk krijgt u vooral uit zuivel');
  });
});
