import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudyStore } from '../../src/store/study-store.ts';
import { runDexa } from '../helpers/run-cli.ts';
import { receivedAndTaken } from '../helpers/store-studies.ts';

describe('dexa deliveries retry: a delivery that failed for good is tried again', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-retry-'));
    await mkdir(join(root, 'inbox'));
    await mkdir(join(root, 'out'));
    await mkdir(join(root, 'data'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const db = () => join(root, 'data', 'dexa.db');
  const dexa = (...args: string[]) => runDexa([...args, '--db', db(), '--inbox', join(root, 'inbox'), '--out', join(root, 'out')]);

  it('due again at once with its tries counted afresh, the last error kept and the retry in the audit log; status names its id; review show lists each delivery; a pending, delivered or unknown delivery is refused', async () => {
    const store = await StudyStore.open(db());
    let failedId = 0;
    let deliveredId = 0;
    let studyId = 0;
    try {
      const { study } = await receivedAndTaken(store, 'retry-me');
      studyId = study.id;
      await store.deliveries.enqueue(study.id, 1, ['epd-hl7', 'epd-fhir']);
      const [fhir, hl7] = await store.deliveries.ofStudy(study.id);
      failedId = hl7!.id;
      deliveredId = fhir!.id;
      await store.deliveries.attemptFailed(failedId, 'HL7 127.0.0.1:2575: message X answered AE (Application Error)', null);
      await store.deliveries.succeeded(deliveredId, '2026-12-01T10:00:00.000Z');
    } finally {
      await store.close();
    }

    const status = await dexa('status');
    expect(status.stdout).toContain(`  to try one again: dexa deliveries retry <id> (ids: ${failedId})`);
    const before = Date.now();
    const retried = await dexa('deliveries', 'retry', String(failedId), '--by', 'j.jansen');
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(retried.stdout).toBe(`delivery ${failedId} (version 1 to epd-hl7) is due again\n`);

    const after = await StudyStore.open(db());
    try {
      const delivery = await after.deliveries.byId(failedId);
      expect(delivery).toMatchObject({ state: 'pending', attempts: 0, lastError: 'HL7 127.0.0.1:2575: message X answered AE (Application Error)' });
      expect(Date.parse(delivery!.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(delivery!.nextAttemptAt)).toBeGreaterThanOrEqual(before - 1000);
      const audit = (await after.audit.of(studyId)).filter((entry) => entry.action === 'delivery retried');
      expect(audit).toEqual([expect.objectContaining({ actor: 'j.jansen', detail: 'version 1 to epd-hl7 tried again after 1 failed tries (last: HL7 127.0.0.1:2575: message X answered AE (Application Error))' })]);
    } finally {
      await after.close();
    }

    const again = await dexa('deliveries', 'retry', String(failedId));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`delivery ${failedId} (version 1 to epd-hl7) is pending, not failed; only a failed delivery is tried again`);
    expect((await dexa('deliveries', 'retry', String(deliveredId))).stderr).toContain(`delivery ${deliveredId} (version 1 to epd-fhir) is delivered, not failed`);
    expect((await dexa('deliveries', 'retry', '9999')).stderr).toContain('no delivery 9999 in the store');
    expect((await dexa('deliveries', 'retry', 'abc')).stderr).toContain('a delivery number');

    // each delivery of the study, by id, on review show
    const show = await dexa('review', 'show', String(studyId));
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`delivery ${deliveredId} of version 1 to epd-fhir: delivered, 1 tries, delivered at 2026-12-01T10:00:00.000Z\n`);
    expect(show.stdout).toContain(`delivery ${failedId} of version 1 to epd-hl7: pending, 0 tries, last error: HL7 127.0.0.1:2575: message X answered AE (Application Error)\n`);
  }, 30_000);
});
