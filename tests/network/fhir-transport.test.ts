import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, DiagnosticReport } from '@medplum/fhirtypes';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { bearerTokenOf, postTransaction } from '../../src/network/fhir-transport.ts';
import { buildResultBundle } from '../../src/results/fhir-bundle.ts';
import { validateResultBundle } from '../../src/results/fhir-validate.ts';
import { OutboxWorker } from '../../src/watch/outbox-worker.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import type { StudyStore } from '../../src/store/study-store.ts';
import { AT, assessedFixtureStudy, resultInputOf } from '../results/result-fixtures.ts';
import { drop, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A FHIR server on loopback that answers each request as `answer` says (n: 1-based). */
async function startFhirServer(answer: (n: number, response: ServerResponse) => void): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(received.length, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/fhir/R4`, received, server };
}

function stop(server: Server | undefined): Promise<void> {
  if (server === undefined) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  response.end(JSON.stringify(body));
};
const TRANSACTION_RESPONSE = { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created' } }] };
const SERVER_ERROR = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', details: { text: 'database unavailable' } }] };
const TOKEN_ENV = 'DEXA_TEST_FHIR_TOKEN';

describe('results to the hospital record as a FHIR R4 transaction, through the outbox', () => {
  let root = '';
  let service: RunningService | null = null;
  let server: Server | undefined;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-fhir-'));
    process.env[TOKEN_ENV] = 'secret-token-123';
  });
  afterEach(async () => {
    await service?.stop();
    service = null;
    await stop(server);
    server = undefined;
    delete process.env[TOKEN_ENV];
    await rm(root, { recursive: true, force: true });
  });

  async function start(baseUrl: string, deliveries: Partial<DepartmentConfig['deliveries']> = {}): Promise<RunningService> {
    const config: DepartmentConfig = {
      ...DEFAULT_CONFIG,
      watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.3, quietSeconds: 0.2 },
      deliveries: { destinations: [{ name: 'epd-fhir', kind: 'fhir', baseUrl, bearerTokenEnv: TOKEN_ENV, timeoutSeconds: 5 }], maxAttempts: 50, firstRetrySeconds: 0.2, maxRetrySeconds: 0.4, ...deliveries },
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

  async function deliveryOf(running: RunningService, study: FixtureStudy) {
    const record = await running.store.studies.byUid(fixtureUids(study).study);
    return record === null ? undefined : (await running.store.deliveries.ofStudy(record.id))[0];
  }

  it('HTTP 500 is a failed try with the OperationOutcome in the error; the same bundle again, answered 200, is delivered once', async () => {
    const fhir = await startFhirServer((n, response) => (n === 1 ? json(response, 500, SERVER_ERROR) : json(response, 200, TRANSACTION_RESPONSE)));
    server = fhir.server;
    // the first wait long enough to see the failure recorded
    const running = await start(fhir.url, { firstRetrySeconds: 0.5, maxRetrySeconds: 0.5 });
    const study = syntheticStudy('fhir-500', { neck: -2.6 });
    await drop(join(root, 'inbox'), 'study', studyFiles(study));
    const failed = await until(async () => {
      const delivery = await deliveryOf(running, study);
      return delivery !== undefined && delivery.attempts === 1 ? delivery : null;
    });
    expect(failed.state).toBe('pending');
    expect(failed.lastError).toBe(`FHIR ${fhir.url}: HTTP 500 Internal Server Error (error: database unavailable)`);
    await until(async () => (await deliveryOf(running, study))?.state === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 700)); // time for another try, were one left
    expect(await deliveryOf(running, study)).toMatchObject({ state: 'delivered', attempts: 2, lastError: null });
    expect(fhir.received).toHaveLength(2);
    const record = await running.store.studies.byUid(fixtureUids(study).study);
    expect(record?.state).toBe('delivered');
    expect((await running.store.audit.of(record!.id)).filter((entry) => entry.action === 'delivered')).toHaveLength(1);

    for (const request of fhir.received) {
      expect(request).toMatchObject({ method: 'POST', url: '/fhir/R4' });
      expect(request.headers['content-type']).toBe('application/fhir+json');
      expect(request.headers.authorization).toBe('Bearer secret-token-123');
    }
    // the retried bundle is the same: same entries, same conditional identifiers
    const [first, second] = fhir.received.map((request) => JSON.parse(request.body) as Bundle);
    expect(second).toEqual(first);
    expect(second!.entry!.map((entry) => entry.request?.ifNoneExist)).toEqual(first!.entry!.map((entry) => entry.request?.ifNoneExist));
    expect(() => validateResultBundle(first!)).not.toThrow();
    expect(first).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });

    const report = first!.entry!.map((entry) => entry.resource).find((resource): resource is DiagnosticReport => resource?.resourceType === 'DiagnosticReport');
    expect(report).toMatchObject({ status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '38269-7' }] } });
    const gp = (await running.store.letters.ofStudy(record!.id)).find((l) => l.version === 1 && l.kind === 'gp');
    expect(report!.presentedForm).toHaveLength(1);
    expect(report!.presentedForm![0]!.contentType).toBe('application/pdf');
    expect(Buffer.from(report!.presentedForm![0]!.data!, 'base64').equals(await readFile(gp!.path))).toBe(true);
  }, 30_000);
});

describe('the FHIR transport on its own: what counts as delivered', () => {
  let bundle: Bundle;
  let server: Server | undefined;
  beforeAll(async () => {
    const input = await resultInputOf(await assessedFixtureStudy(FIXTURE_STUDIES[0]!));
    bundle = buildResultBundle(input, { at: AT });
  }, 30_000);
  afterEach(async () => {
    await stop(server);
    server = undefined;
  });
  afterAll(() => {
    delete process.env[TOKEN_ENV];
  });
  const destination = (baseUrl: string, timeoutSeconds = 5) => ({ name: 'epd-fhir', baseUrl, timeoutSeconds });

  it('a 2xx transaction-response Bundle is delivered; a 2xx with anything else, or a 4xx, is not', async () => {
    const answers: [number, unknown][] = [
      [200, TRANSACTION_RESPONSE],
      [200, { resourceType: 'OperationOutcome', issue: [] }],
      [201, { resourceType: 'Bundle', type: 'batch-response' }],
      [422, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Observation.code: unknown system' }] }],
    ];
    const fhir = await startFhirServer((n, response) => json(response, ...answers[n - 1]!));
    server = fhir.server;
    await expect(postTransaction(destination(fhir.url), bundle)).resolves.toBe('HTTP 200');
    await expect(postTransaction(destination(fhir.url), bundle)).rejects.toThrow(`FHIR ${fhir.url}: HTTP 200 but no transaction-response Bundle in the answer (got OperationOutcome)`);
    await expect(postTransaction(destination(fhir.url), bundle)).rejects.toThrow('HTTP 201 but no transaction-response Bundle in the answer (got Bundle of type batch-response)');
    await expect(postTransaction(destination(fhir.url), bundle)).rejects.toThrow(`FHIR ${fhir.url}: HTTP 422 Unprocessable Entity (error: Observation.code: unknown system)`);
    expect(fhir.received[0]!.headers.authorization).toBeUndefined();
  });

  it('no answer within the timeout, or no server, is a failed try', async () => {
    const fhir = await startFhirServer(() => undefined); // never answers
    server = fhir.server;
    await expect(postTransaction(destination(fhir.url, 0.3), bundle)).rejects.toThrow(`FHIR ${fhir.url}: no answer within 0.3 s`);
    await stop(server);
    server = undefined;
    await expect(postTransaction(destination(fhir.url), bundle)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('an invalid bundle is never sent', async () => {
    const fhir = await startFhirServer((_n, response) => json(response, 200, TRANSACTION_RESPONSE));
    server = fhir.server;
    const broken: Bundle = { ...bundle, entry: bundle.entry!.map((entry) => ({ ...entry, request: undefined })) };
    await expect(postTransaction(destination(fhir.url), broken)).rejects.toThrow('the FHIR bundle is not valid');
    expect(fhir.received).toHaveLength(0);
  });

  it('the bearer token from the file or from the environment variable it names; a variable not set fails the try', () => {
    expect(bearerTokenOf({ name: 'x', bearerToken: 'in-file' })).toBe('in-file');
    expect(bearerTokenOf({ name: 'x' })).toBeNull();
    expect(bearerTokenOf({ name: 'x', bearerTokenEnv: 'FHIR_TOKEN' }, { FHIR_TOKEN: ' from-env ' })).toBe('from-env');
    expect(() => bearerTokenOf({ name: 'x', bearerTokenEnv: 'FHIR_TOKEN' }, {})).toThrow('FHIR destination x: the environment variable FHIR_TOKEN holds no bearer token');
  });
});

describe('a FHIR destination whose token variable is not set', () => {
  it('is warned about when the outbox starts, naming the destination and the variable, never a token', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const deliveries: DepartmentConfig['deliveries'] = {
      ...DEFAULT_CONFIG.deliveries,
      destinations: [
        { name: 'no-token', kind: 'fhir', baseUrl: 'https://fhir.example.org/R4', bearerTokenEnv: 'DEXA_TEST_UNSET_TOKEN', timeoutSeconds: 5 },
        { name: 'in-file', kind: 'fhir', baseUrl: 'https://fhir.example.org/R4', bearerToken: 'secret-in-file', timeoutSeconds: 5 },
      ],
    };
    delete process.env['DEXA_TEST_UNSET_TOKEN'];
    new OutboxWorker({} as StudyStore, deliveries, { file: 0o600, folder: 0o700 }, logger, { observer: 'x', language: 'nl', setup: { config: DEFAULT_CONFIG, templates: await loadTemplates('nl') } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, destination: 'no-token', variable: 'DEXA_TEST_UNSET_TOKEN' });
    expect(lines.join('')).not.toContain('secret-in-file');
  });
});
