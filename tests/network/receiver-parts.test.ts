import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { acceptedSyntax, callerAllowed, callerRules } from '../../src/network/association-policy.ts';
import { part10Header, ReceivedObject, writeIntoInbox } from '../../src/network/receiver-file.ts';
import { startReceiver, type RunningReceiver } from '../../src/network/receiver-server.ts';
import { StudyStore } from '../../src/store/study-store.ts';
import { dcmtk, dcmtkAvailable, store } from '../helpers/dcmtk.ts';
import { textReports } from '../helpers/receiver.ts';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const ENHANCED_SR = '1.2.840.10008.5.1.4.1.1.88.22';
const modes = { file: 0o600, folder: 0o700 };

describe('what the receiver accepts', () => {
  it('takes the SOP classes it lists, with the transfer syntax as it comes: explicit little endian first, else implicit, else the first', () => {
    expect(acceptedSyntax(ENHANCED_SR, [IMPLICIT, EXPLICIT])).toBe(EXPLICIT);
    expect(acceptedSyntax(ENHANCED_SR, [IMPLICIT])).toBe(IMPLICIT);
    expect(acceptedSyntax('1.2.840.10008.5.1.4.1.1.7', ['1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.50'])).toBe('1.2.840.10008.1.2.4.70');
    expect(acceptedSyntax('1.2.840.10008.1.1', [EXPLICIT, IMPLICIT])).toBe(IMPLICIT);
    expect(acceptedSyntax('1.2.840.10008.5.1.4.1.1.2', [EXPLICIT])).toBe('abstract'); // CT
    expect(acceptedSyntax(ENHANCED_SR, [])).toBe('transfer');
  });

  it('answers a calling AE title on the list, from any address or only from those given', () => {
    const rules = callerRules(['LUNAR', { aeTitle: 'APEX', addresses: ['10.0.0.5'] }]);
    expect(callerAllowed(rules, 'LUNAR', '192.168.1.1')).toBe(true);
    expect(callerAllowed(rules, 'APEX', '10.0.0.5')).toBe(true);
    expect(callerAllowed(rules, 'APEX', '10.0.0.6')).toBe(false);
    expect(callerAllowed(rules, 'lunar', '192.168.1.1')).toBe(false);
  });

  it('reads the dicom block of a configuration file, and refuses an AE title DICOM does not allow', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dexa-dicom-config-'));
    try {
      const file = join(folder, 'dexa.config.yaml');
      await writeFile(file, ['dicom:', '  enabled: true', '  aeTitle: DEXA', '  host: 0.0.0.0', '  allowedCallers:', '    - LUNAR', '    - aeTitle: APEX', '      addresses: [10.0.0.5]', '  tls:', '    key: tls/key.pem', '    cert: tls/cert.pem', ''].join('\n'));
      const { config } = await loadConfig(file);
      expect(config.dicom).toMatchObject({ enabled: true, aeTitle: 'DEXA', host: '0.0.0.0', port: 11112, maxAssociations: 4, allowedCallers: ['LUNAR', { aeTitle: 'APEX', addresses: ['10.0.0.5'] }] });
      expect(config.dicom.tls).toEqual({ key: join(folder, 'tls/key.pem'), cert: join(folder, 'tls/cert.pem'), ca: null, requireClientCertificate: false });
      await writeFile(file, ['dicom:', '  aeTitle: MUCH_TOO_LONG_TITLE', ''].join('\n'));
      await expect(loadConfig(file)).rejects.toThrow(/dicom\.aeTitle.*AE title/);
      expect(DEFAULT_CONFIG.dicom.enabled).toBe(false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('what the receiver writes', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-receiver-file-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('a Part 10 file meta header dicom-parser reads, naming the caller as its source', () => {
    const header = part10Header({ sopClassUid: ENHANCED_SR, sopInstanceUid: '2.25.123', transferSyntaxUid: IMPLICIT, sourceAeTitle: 'LUNAR' });
    const parsed = dicomParser.parseDicom(new Uint8Array(Buffer.concat([header, Buffer.from([0x10, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x00, 0x49, 0x44])])));
    expect(parsed.string('x00020002')).toBe(ENHANCED_SR);
    expect(parsed.string('x00020003')).toBe('2.25.123');
    expect(parsed.string('x00020010')).toBe(IMPLICIT);
    expect(parsed.string('x00020016')).toBe('LUNAR');
    expect(parsed.string('x00100020')).toBe('ID');
  });

  it('never replaces a file already in the inbox, and leaves no temporary file', async () => {
    const bytes = [Buffer.from('first')];
    const first = await writeIntoInbox(folder, '2.25.9.dcm', Buffer.alloc(0), bytes, modes);
    const second = await writeIntoInbox(folder, '2.25.9.dcm', Buffer.alloc(0), [Buffer.from('second')], modes);
    expect([first, second]).toEqual([join(folder, '2.25.9.dcm'), join(folder, '2.25.9~2.dcm')]);
    expect((await readdir(folder)).sort()).toEqual(['2.25.9.dcm', '2.25.9~2.dcm']);
  });

  it('an object larger than the limit is dropped as it comes and marked too large', () => {
    const object = new ReceivedObject(10);
    object.write(Buffer.alloc(8));
    object.write(Buffer.alloc(8));
    expect(object.tooLarge).toBe(true);
    expect(object.contents().bytes).toEqual([]);
  });
});

describe('a connection that never asks for an association', () => {
  it('is closed after the association timeout', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dexa-receiver-timeout-'));
    const idleStore = await StudyStore.open(join(root, 'dexa.db'));
    const receiver = await startReceiver({ config: { ...DEFAULT_CONFIG.dicom, enabled: true, associationTimeoutSeconds: 1 }, inbox: join(root, 'inbox'), store: idleStore, logger: pino({ level: 'silent' }), modes, port: 0 });
    try {
      const started = performance.now();
      const socket = connect(receiver.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('close', resolve));
      const seconds = (performance.now() - started) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(0.9);
      expect(seconds).toBeLessThan(5);
    } finally {
      await receiver.stop();
      await idleStore.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

const available = dcmtkAvailable();

describe.skipIf(!available)('a receiver that cannot record what it received', () => {
  let root = '';
  let receiver: RunningReceiver | null = null;
  let studyStore: StudyStore | null = null;
  afterAll(async () => {
    await receiver?.stop();
    await studyStore?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('answers Refused: Out of Resources, so the sender keeps the object, and leaves no file in the inbox', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-receiver-fail-'));
    studyStore = await StudyStore.open(join(root, 'dexa.db'));
    studyStore.dicom.record = () => Promise.reject(new Error('the store is full'));
    receiver = await startReceiver({ config: { ...DEFAULT_CONFIG.dicom, enabled: true, allowedCallers: ['STORESCU'] }, inbox: join(root, 'inbox'), store: studyStore, logger: pino({ level: 'silent' }), modes, port: 0 });
    const [report] = await textReports(join(root, 'send'), 1, 'fail');
    const sent = await store(receiver.port, [report!.path], { extra: ['-v'] });
    expect(sent.output).toMatch(/Received Store Response \(Refused: OutOfResources\)/);
    const left = (await readdir(join(root, 'inbox'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(left).toEqual([]);
    // the association's end is recorded as the connection closes, a moment after storescu is done
    let [association] = await studyStore.dicom.recentAssociations(1);
    for (let tries = 0; association?.outcome === 'open' && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      [association] = await studyStore.dicom.recentAssociations(1);
    }
    expect(association).toMatchObject({ outcome: 'released', received: 1, stored: 0, refused: 1, refusals: { 'could not be stored: the store is full': 1 } });
  });
});

const openssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!available || !openssl)('the receiver over TLS', () => {
  let root = '';
  afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

  it('answers echoscu and storescu over TLS with its certificate, and no plain connection', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-receiver-tls-'));
    const [key, cert] = [join(root, 'key.pem'), join(root, 'cert.pem')];
    expect(spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost']).status).toBe(0);
    const tlsStore = await StudyStore.open(join(root, 'dexa.db'));
    const tls = await startReceiver({ config: { ...DEFAULT_CONFIG.dicom, enabled: true, allowedCallers: ['STORESCU', 'ECHOSCU'], tls: { key, cert, ca: null, requireClientCertificate: false } }, inbox: join(root, 'inbox'), store: tlsStore, logger: pino({ level: 'silent' }), modes, port: 0 });
    try {
      const echoed = await dcmtk('echoscu', ['+tla', '+cf', cert, '-aet', 'ECHOSCU', '-aec', 'DEXA', '127.0.0.1', String(tls.port)]).done;
      expect(echoed.code, echoed.output).toBe(0);
      const [report] = await textReports(join(root, 'send'), 1, 'tls');
      const sent = await dcmtk('storescu', ['+tla', '+cf', cert, '-aet', 'STORESCU', '-aec', 'DEXA', '127.0.0.1', String(tls.port), report!.path]).done;
      expect(sent.code, sent.output).toBe(0);
      expect((await readdir(join(root, 'inbox'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())).toHaveLength(1);
      const plain = await dcmtk('echoscu', ['-to', '5', '-aet', 'ECHOSCU', '-aec', 'DEXA', '127.0.0.1', String(tls.port)]).done;
      expect(plain.code).not.toBe(0);
    } finally {
      await tls.stop();
      await tlsStore.close();
    }
  });
});
