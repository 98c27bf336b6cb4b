import { describe, expect, it } from 'vitest';
import { lettersOf } from '../helpers/letters.ts';

describe('flag sentences in the GP letter say what the service knows (issue 10 item 6)', () => {
  it('SPINE_EXCLUSION_SUGGESTED by scores (fixture 08): names the vertebra as an outlier, with both scores; no "of"', async () => {
    const { gp } = await lettersOf('08');
    expect(gp.text).toContain('L3 (T-score 0,4) ligt meer dan 1,0 hoger dan L2 (-1,2): een uitschieter');
    expect(gp.text).toContain('heranalyse zonder L3 op het meetapparaat');
    expect(gp.text).not.toContain('of heeft een wervelfractuur');
  });

  it('SPINE_EXCLUSION_SUGGESTED by a VFA fracture (fixture 17): names the vertebra and its grade', async () => {
    const { gp } = await lettersOf('17');
    expect(gp.text).toContain('L1 heeft op de VFA een wervelfractuur (Genant graad 2)');
    expect(gp.text).not.toContain('uitschieter');
  });

  it('VFA_GRADE_DIFFERS (fixture 20): both grades', async () => {
    const { gp } = await lettersOf('20');
    expect(gp.text).toContain('T11: de beoordelaar gaf Genant graad 2, de gemeten wervelhoogtes geven graad 1 (21,8 % lager dan verwacht)');
  });

  it('VENDOR_CATEGORY_DIFFERS (fixture 21): what the scanner concluded, and our result', async () => {
    const { gp } = await lettersOf('21');
    expect(gp.text).toContain("Het meetapparaat concludeerde zelf 'Osteopenia'; volgens de regels van deze beoordeling is de uitslag osteoporose.");
  });

  it('MILD_VERTEBRAL_FRACTURE (fixture 16) names the vertebra; English letters word the same details', async () => {
    expect((await lettersOf('16')).gp.text).toContain('De milde wervelfractuur van T12 (graad 1)');
    expect((await lettersOf('20', 'en')).gp.text).toContain('T11: the reader gave Genant grade 2, the measured vertebral heights give grade 1 (21.8 % lower than expected)');
    expect((await lettersOf('08', 'en')).gp.text).toContain('L3 (T-score 0.4) is more than 1.0 higher than L2 (-1.2)');
  });
});
