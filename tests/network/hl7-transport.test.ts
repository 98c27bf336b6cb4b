import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hl7Message } from '@medplum/core';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { vfaRead } from '../../src/fixtures/vfa-builders.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { AssessedStudy } from '../../src/model/assessed-study.ts';
import { deliverOverHl7 } from '../../src/network/hl7-transport.ts';
import { unescapeHl7 } from '../../src/results/hl7-escape.ts';
import { buildOruMessage, messageControlId } from '../../src/results/hl7-oru.ts';
import type { ResultInput } from '../../src/results/result-input.ts';
import { AT, assessedFixtureStudy, resultInputOf } from '../results/result-fixtures.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { startMllpListener, type Answer, type MllpListener } from '../helpers/mllp-listener.ts';
import { freePort } from '../helpers/pacs-storescp.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

describe('results to the hospital record as HL7 v2 ORU^R01 over MLLP, through the outbox', () => {
  let root = '';
  let service: RunningService | null = null;
  let listener: MllpListener | null = null;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-hl7-'));
  });
  afterEach(async () => {
    await service?.stop();
    service = null;
    await listener?.stop();
    listener = null;
    await rm(root, { recursive: true, force: true });
  });

  async function start(port: number, deliveries: Partial<DepartmentConfig['deliveries']> = {}, timeoutSeconds = 2): Promise<RunningService> {
    const config: DepartmentConfig = {
      ...DEFAULT_CONFIG,
      watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2 },
      hospital: { ...DEFAULT_CONFIG.hospital, receivingApplication: 'HIX', receivingFacility: 'ZKH' },
      deliveries: { destinations: [{ name: 'epd-hl7', kind: 'hl7', host: '127.0.0.1', port, timeoutSeconds, embed: ['gp'] }], maxAttempts: 50, firstRetrySeconds: 0.2, maxRetrySeconds: 0.4, ...deliveries },
    };
    service = await startService({ inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'data', 'dexa.db'), config, templates: await loadTemplates('nl'), logger: pino({ level: 'silent' }) });
    return service;
  }

  async function until<T>(what: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await what();
      if (value) return value;
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function deliveryOf(running: RunningService, study: FixtureStudy, version = 1) {
    const record = await running.store.studies.byUid(fixtureUids(study).study);
    return record === null ? undefined : (await running.store.deliveries.ofStudy(record.id)).find((d) => d.version === version);
  }

  const field = (message: Hl7Message, segment: string, index: number) => message.getSegment(segment)?.getField(index)?.toString() ?? '';

  it('a NAK (AE) and then no ACK are failed tries; the same message again, answered AA, is delivered exactly once', async () => {
    const port = await freePort();
    const answers: Answer[] = ['AE', 'silent', 'AA'];
    listener = await startMllpListener(port, (n) => answers[n - 1] ?? 'AA');
    // the first wait long enough to see the NAK recorded
    const running = await start(port, { firstRetrySeconds: 0.5, maxRetrySeconds: 0.5 }, 0.5);
    const study = syntheticStudy('hl7-nak', { neck: -2.6 });
    const uid = fixtureUids(study).study;
    await drop(join(root, 'inbox'), 'study', studyFiles(study));

    const nak = await until(async () => {
      const delivery = await deliveryOf(running, study);
      return delivery !== undefined && delivery.attempts === 1 ? delivery : null;
    });
    expect(nak.state).toBe('pending');
    expect(nak.lastError).toBe(`HL7 127.0.0.1:${port}: message ${messageControlId(uid, 1, 'epd-hl7')} answered AE (Application Error)`);
    const silent = await until(async () => {
      const delivery = await deliveryOf(running, study);
      return delivery !== undefined && delivery.attempts === 2 ? delivery : null;
    });
    expect(silent.lastError).toBe(`HL7 127.0.0.1:${port}: no ACK within 0.5 s`);
    const delivered = await until(async () => {
      const delivery = await deliveryOf(running, study);
      return delivery?.state === 'delivered' ? delivery : null;
    });
    expect(delivered).toMatchObject({ attempts: 3, lastError: null, destination: 'epd-hl7', version: 1 });
    await new Promise((resolve) => setTimeout(resolve, 700)); // time for another try, were one left
    expect(listener.received.map((r) => r.answered)).toEqual(['AE', 'silent', 'AA']);
    const controlId = messageControlId(uid, 1, 'epd-hl7');
    expect(listener.received.map((r) => field(r.message, 'MSH', 10))).toEqual([controlId, controlId, controlId]);
    expect(new Set(listener.received.map((r) => r.text)).size).toBe(1); // the retry is the same message, byte for byte
    expect(listener.received.filter((r) => r.answered === 'AA')).toHaveLength(1);
    const record = await running.store.studies.byUid(uid);
    expect(record?.state).toBe('delivered');
    expect((await running.store.audit.of(record!.id)).filter((entry) => entry.action === 'delivered')).toHaveLength(1);

    // the message, parsed back
    const message = listener.received[0]!.message;
    const stored = await running.store.studies.storedResult(record!, 1);
    expect(field(message, 'MSH', 9)).toBe('ORU^R01^ORU_R01');
    expect(field(message, 'MSH', 12)).toBe('2.5');
    expect([field(message, 'MSH', 3), field(message, 'MSH', 5), field(message, 'MSH', 6)]).toEqual(['DEXA-REPORT', 'HIX', 'ZKH']);
    expect(message.getSegment('PID')?.getComponent(3, 1)).toBe(stored!.patient.id);
    expect(message.getSegment('PID')?.getComponent(3, 4)).toBe(stored!.patient.issuer ?? DEFAULT_CONFIG.store.localIssuer);
    expect(message.getSegment('PID')?.getComponent(3, 5)).toBe('PI');
    expect(field(message, 'PID', 7)).toBe(stored!.patient.birthDate!.replaceAll('-', ''));
    expect(message.getSegment('OBR')?.getComponent(3, 1)).toBe(stored!.study.accessionNumber ?? '');
    expect(field(message, 'OBR', 25)).toBe('F');
    const obx = message.getAllSegments('OBX');
    expect(obx.length).toBeGreaterThan(3);
    expect(new Set(obx.map((segment) => segment.getField(11).toString()))).toEqual(new Set(['F']));
    // the configured letter only (this destination embeds the GP letter), as the released bytes
    const pdfs = obx.filter((segment) => segment.getField(2).toString() === 'ED');
    expect(pdfs.map((segment) => segment.getComponent(3, 1))).toEqual(['gp-letter-pdf']);
    const gp = (await running.store.letters.ofStudy(record!.id)).find((l) => l.version === 1 && l.kind === 'gp');
    expect(Buffer.from(pdfs[0]!.getComponent(5, 5), 'base64').equals(await readFile(gp!.path))).toBe(true);
  }, 30_000);

  it('a listener that is down, then up: the message is delivered once it is there, once; an amended version then goes out with result status C', async () => {
    const port = await freePort();
    const running = await start(port);
    const study = syntheticStudy('hl7-down', { neck: -2.6 });
    const uid = fixtureUids(study).study;
    await drop(join(root, 'inbox'), 'first', studyFiles(study));
    const waiting = await until(async () => {
      const delivery = await deliveryOf(running, study);
      return delivery !== undefined && delivery.attempts >= 2 ? delivery : null;
    });
    expect(waiting.state).toBe('pending');
    expect(waiting.lastError).toMatch(new RegExp(`^HL7 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    listener = await startMllpListener(port);
    await until(async () => (await deliveryOf(running, study))?.state === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 600)); // time for another try, were one left
    expect(listener.received).toHaveLength(1);
    expect(field(listener.received[0]!.message, 'MSH', 10)).toBe(messageControlId(uid, 1, 'epd-hl7'));

    // a VFA read later amends the release: version 2, its own message, corrected
    const vfa = { ...study, profileInstances: [{ vfa: vfaRead([{ level: 'T9', shape: 'crush', reduction: 0.3 }]), bmd: [] }] };
    await drop(join(root, 'inbox'), 'later', studyFiles(vfa).filter((f) => f.name.startsWith('PR')));
    await until(async () => (await deliveryOf(running, study, 2))?.state === 'delivered');
    expect(listener.received.map((r) => field(r.message, 'MSH', 10))).toEqual([messageControlId(uid, 1, 'epd-hl7'), messageControlId(uid, 2, 'epd-hl7')]);
    const [first, second] = listener.received.map((r) => r.message);
    expect(field(first!, 'OBR', 25)).toBe('F');
    expect(field(second!, 'OBR', 25)).toBe('C');
    expect(new Set(second!.getAllSegments('OBX').map((segment) => segment.getField(11).toString()))).toEqual(new Set(['C']));
  }, 30_000);
});

describe('the HL7 transport on its own: what goes over MLLP, and which ACK counts', () => {
  let input: ResultInput;
  let listener: MllpListener | null = null;
  afterEach(async () => {
    await listener?.stop();
    listener = null;
  });

  it('hostile patient text crosses MLLP as built and comes back as it was; AR and CE fail the try, CA delivers', async () => {
    const base = await assessedFixtureStudy(FIXTURE_STUDIES[1]!);
    const study: AssessedStudy = {
      ...base,
      patient: { ...base.patient, id: 'P|1^2\n3', issuer: 'ISS~&', name: { family: 'van den Berg|^~\\&', given: 'Jan\nPiet&Co', middle: '', prefix: '', suffix: '' } },
    };
    input = { ...(await resultInputOf(base)), study };
    const answers: Answer[] = ['AR', 'CE', 'CA'];
    listener = await startMllpListener(0, (n) => answers[n - 1] ?? 'AA');
    const destination = { name: 'hix', kind: 'hl7' as const, host: '127.0.0.1', port: listener.port, timeoutSeconds: 2 };
    const controlId = messageControlId(study.study.studyInstanceUid, 1, 'hix');
    await expect(deliverOverHl7(destination, input, AT)).rejects.toThrow(`HL7 127.0.0.1:${listener.port}: message ${controlId} answered AR`);
    await expect(deliverOverHl7(destination, input, AT)).rejects.toThrow(`message ${controlId} answered CE`);
    await expect(deliverOverHl7(destination, input, AT)).resolves.toBe(`HL7 127.0.0.1:${listener.port} (message ${controlId}, CA)`);
    const sent = buildOruMessage(input, { destination: 'hix', at: AT });
    expect(listener.received.map((r) => r.text)).toEqual([sent, sent, sent]);
    const pid = listener.received[0]!.message.getSegment('PID')!;
    expect(unescapeHl7(pid.getComponent(3, 1))).toBe('P|1^2\n3');
    expect(unescapeHl7(pid.getComponent(3, 4))).toBe('ISS~&');
    expect(unescapeHl7(pid.getComponent(5, 1, 2))).toBe('Berg|^~\\&');
    expect(unescapeHl7(pid.getComponent(5, 2))).toContain('&Co');
  }, 30_000);
});
