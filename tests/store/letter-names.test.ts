import { describe, expect, it } from 'vitest';
import { freshStoreEach, STORE_ENGINES } from '../helpers/store-engines.ts';
import { receivedAndTaken } from '../helpers/store-studies.ts';

describe.each(STORE_ENGINES)('letter names reserved by other studies, on $name', (engine) => {
  const fresh = freshStoreEach(engine);

  it('are the name and its numbered variants that another study holds, found in one question; `_` and `%` in a name are letters, not wildcards', async () => {
    const { study: own } = await receivedAndTaken(fresh.store, 'names-own', { patientId: 'P-own', studyDate: '2026-06-01' });
    const { study: other } = await receivedAndTaken(fresh.store, 'names-other', { patientId: 'P-other', studyDate: '2026-06-01' });
    const stem = '2026-06-01_10%_gp';
    for (const name of [`${stem}.pdf`, `${stem}~2.pdf`, `${stem}~17.pdf`, '2026-06-01_10x_gp~3.pdf', '2026X06-01_10%_gp~4.pdf', `${stem}~5.pdf.bak`, `other_${stem}~6.pdf`]) {
      expect(await fresh.store.letters.reserveName(name, other.id)).toBe(true);
    }
    expect(await fresh.store.letters.reserveName(`${stem}~3.pdf`, own.id)).toBe(true);
    expect([...(await fresh.store.letters.namesReservedByOthers(stem, own.id))].sort()).toEqual([`${stem}.pdf`, `${stem}~17.pdf`, `${stem}~2.pdf`].sort());
    // the other study's own names are not in its way
    expect([...(await fresh.store.letters.namesReservedByOthers(stem, other.id))]).toEqual([`${stem}~3.pdf`]);
  });
});
