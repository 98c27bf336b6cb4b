import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcmtkAvailable, store, type ToolRun } from '../helpers/dcmtk.ts';
import { startReceivingService, textReports, type ReceivingService } from '../helpers/receiver.ts';

const available = dcmtkAvailable();
const TRANSIENT = /Rejected Transient, Source: Service Provider \(Presentation Related\)[\s\S]*Local Limit Exceeded/;

/** A sender that tries again, as a scanner's queue does, while it is refused as transient; how often it was. */
async function sendUntilAccepted(port: number, files: string[]): Promise<{ last: ToolRun; refusals: number }> {
  for (let refusals = 0; ; refusals++) {
    const last = await store(port, files);
    if (last.code === 0 || !TRANSIENT.test(last.output) || refusals >= 100) return { last, refusals };
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
  }
}

describe.skipIf(!available)('the DICOM receiver under more associations than it holds', () => {
  let running: ReceivingService | null = null;
  let root = '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-limit-'));
    running = await startReceivingService({ maxAssociations: 4 });
  });
  afterAll(async () => {
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('12 simultaneous associations against a limit of 4: the others are refused as transient (local limit exceeded), and every file arrives once the senders retry', async () => {
    const senders = await Promise.all(Array.from({ length: 12 }, (_, s) => textReports(join(root, `sender-${s}`), 8, `limit-${s}`)));
    const started = performance.now();
    const results = await Promise.all(senders.map((files) => sendUntilAccepted(running!.port, files.map((file) => file.path))));
    const seconds = (performance.now() - started) / 1000;
    for (const { last } of results) expect(last.code, last.output).toBe(0);
    const refusals = results.reduce((sum, r) => sum + r.refusals, 0);
    expect(refusals).toBeGreaterThan(0);
    const refused = running!.rows<{ reason: string }>("SELECT reason FROM dicom_associations WHERE outcome = 'rejected'");
    expect(refused).toHaveLength(refusals);
    expect(new Set(refused.map((a) => a.reason))).toEqual(new Set(['as many associations as allowed are open']));
    expect(running!.count("SELECT COUNT(*) AS n FROM dicom_associations WHERE outcome = 'released'")).toBe(12);
    // every object once, none lost, none twice
    const expected = senders.flat().map((file) => file.sopInstanceUid).sort();
    expect(running!.rows<{ uid: string }>('SELECT sop_instance_uid AS uid FROM dicom_receipts WHERE duplicate = 0 ORDER BY sop_instance_uid').map((r) => r.uid)).toEqual(expected);
    await running!.service.idle();
    expect(running!.count('SELECT COUNT(*) AS n FROM files WHERE moved = 1')).toBe(expected.length);
    console.log(`12 senders, limit 4: ${refusals} transient refusals, ${expected.length} files received once each in ${seconds.toFixed(1)} s`);
  }, 60_000);
});
