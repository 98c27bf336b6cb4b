import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { lettersOf } from '../helpers/letters.ts';

/** The table's rows: from the column titles to the index note. */
const tableOf = (text: string) => text.slice(text.indexOf('Regio Zijde'), text.indexOf('* laagste waarde'));

describe('the GP letter\'s table (clinical-rules §2, §9; issue 10 item 6)', () => {
  it('Z path (fixture 06, man of 46): Z-scores only, the T-score column left out with a note why', async () => {
    const { gp } = await lettersOf('06');
    expect(gp.text).toContain('Regio Zijde BMD (g/cm²) Z-score');
    expect(gp.text).not.toContain('T-score Z-score');
    expect(tableOf(gp.text)).toContain('LWK L1-L4 * 0,895 -2,0');
    expect(gp.text).toContain('T-scores weggelaten: die gelden pas rond of na de overgang, of vanaf 50 jaar; hier gelden Z-scores.');
    expect(gp.text).not.toMatch(/Overige regio's[^.]*\bT -/);
  });

  it('T path keeps both columns and no note about T-scores', async () => {
    const { gp } = await lettersOf('02');
    expect(gp.text).toContain('Regio Zijde BMD (g/cm²) T-score Z-score');
    expect(gp.text).not.toContain('T-scores weggelaten');
  });

  it('fixture 01: only the regions the diagnosis considered in the table; the spine subsets, trochanter and Ward\'s in the small list', async () => {
    const { gp } = await lettersOf('01');
    const table = tableOf(gp.text);
    expect(table).toContain('LWK L1-L4 1,178 0,0 1,2');
    expect(table).not.toMatch(/L1-L2|L2-L4|L3-L4|trochanter|Ward/);
    expect(gp.text).toContain("Overige regio's, niet gebruikt voor de diagnose: LWK L1-L2 T -0,2, Z 1,0; LWK L2-L4 T 0,1, Z 1,4; LWK L3-L4");
    expect(gp.text).toMatch(/trochanter links T 0,4, Z 1,6/);
    expect(gp.text).not.toMatch(/femurschacht|bovenste femurhals/); // regions without scores are not listed
  });

  it('letters.otherRegions: omit leaves the other regions out altogether', async () => {
    const config = { ...DEFAULT_CONFIG, letters: { ...DEFAULT_CONFIG.letters, otherRegions: 'omit' as const } };
    const { gp } = await lettersOf('01', 'nl', config);
    expect(gp.text).not.toMatch(/Overige regio's|L1-L2|L2-L4|trochanter|Ward/);
    expect(gp.text).toContain('LWK L1-L4 1,178');
  });

  it('English: the same table and note', async () => {
    const { gp } = await lettersOf('06', 'en');
    expect(gp.text).toContain('T-scores left out');
    expect(gp.text).not.toContain('T-score Z-score');
  });
});
