import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { FULL_NAMES, startTestWorkstation, USERS, type TestWorkstation, type WebClient } from '../helpers/web.ts';

let station: TestWorkstation | null = null;
afterEach(async () => {
  await station?.close();
  station = null;
});

/** A woman whose menopausal status nobody gave: held with MENOPAUSE_UNKNOWN. */
async function heldStudy(s: TestWorkstation, id = '1'): Promise<{ id: number; uid: string }> {
  const study = { ...syntheticStudy(id, { neck: -2.7 }), context: undefined };
  await drop(s.service.inbox, `study-${id}`, studyFiles(study));
  await s.service.service.idle();
  const record = (await s.service.store.studies.held())[0];
  if (!record || record.state !== 'held') throw new Error('the study was not held');
  return { id: record.id, uid: record.studyUid };
}

async function shownLetters(s: TestWorkstation, studyId: number): Promise<string[]> {
  return (await s.service.store.letters.current(studyId)).map((letter) => `${letter.id}:${letter.sha256 ?? ''}`);
}

async function approve(client: WebClient, s: TestWorkstation, studyId: number, version = 1) {
  return client.post(`studies/${studyId}/approve`, { version: String(version), shown: await shownLetters(s, studyId) });
}

describe('signing off on the workstation', () => {
  it('releases exactly the drafts shown, signed by the radioloog, the released PDF’s SHA-256 recorded in the store and the audit log', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const rob = await station.client(USERS.radioloog);
    const response = await approve(rob, station, study.id);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/studies/${study.id}`);
    const after = await station.service.store.studies.byId(study.id);
    expect(after?.state).toBe('approved');
    const released = await station.service.store.letters.current(study.id);
    expect(released.map((letter) => letter.state)).toEqual(['released', 'released']);
    const audit = await station.service.store.audit.of(study.id);
    const approval = audit.find((entry) => entry.action === 'approved');
    expect(approval?.actor).toBe(USERS.radioloog);
    for (const letter of released) {
      const bytes = await readFile(letter.path);
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(letter.sha256).toBe(sha);
      expect(approval?.detail).toContain(sha);
      const text = (await extractPdfText(bytes)).join('\n');
      expect(text).toContain(FULL_NAMES[USERS.radioloog]);
      expect(text).not.toMatch(/CONCEPT/);
    }
  });

  it('refuses a laborant, a stale version and drafts other than the ones shown, changing nothing', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const laura = await station.client(USERS.laborant);
    const refused = await approve(laura, station, study.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Alleen een radioloog');
    const rob = await station.client(USERS.radioloog);
    const stale = await approve(rob, station, study.id, 2);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('is at version 1, not version 2');
    const [first] = await shownLetters(station, study.id);
    const wrong = await rob.post(`studies/${study.id}/approve`, { version: '1', shown: [`${first?.split(':')[0]}:${'0'.repeat(64)}`] });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.body).toContain('not the ones shown to you');
    expect((await station.service.store.studies.byId(study.id))?.state).toBe('held');
  });

  it('lets one of two radiologists approving at once win; the other is told, and the letters are released once', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const rob = await station.client(USERS.radioloog);
    const rita = await station.client('rita');
    const [a, b] = await Promise.all([approve(rob, station, study.id), approve(rita, station, study.id)]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([303, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.body).toMatch(/being acted on by review:(rob|rita)|not waiting for review \(it is approved\)/);
    expect(loser.body).toContain('Er is niets gewijzigd');
    const approvals = (await station.service.store.audit.of(study.id)).filter((entry) => entry.action === 'approved');
    expect(approvals).toHaveLength(1);
    expect((await station.service.store.letters.current(study.id)).filter((letter) => letter.state === 'released')).toHaveLength(2);
  });

  it('rejects only with a reason', async () => {
    station = await startTestWorkstation();
    const study = await heldStudy(station);
    const rob = await station.client(USERS.radioloog);
    const without = await rob.post(`studies/${study.id}/reject`, { version: '1', reason: '' });
    expect(without.statusCode).toBe(409);
    expect(without.body).toContain('Geef een reden');
    const rejected = await rob.post(`studies/${study.id}/reject`, { version: '1', reason: 'wrong patient on the scan' });
    expect(rejected.statusCode).toBe(303);
    expect((await station.service.store.studies.byId(study.id))?.state).toBe('rejected');
    const entry = (await station.service.store.audit.of(study.id)).find((e) => e.action === 'rejected');
    expect(entry?.detail).toContain('wrong patient on the scan');
    expect(entry?.actor).toBe(USERS.radioloog);
  });
});
