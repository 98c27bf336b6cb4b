import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import pino from 'pino';
import type { DepartmentConfig } from '../../src/config/config-schema.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { SopClass } from '../../src/dicom/tags.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { uidFor } from '../../src/fixtures/deterministic.ts';
import type { FixtureStudy } from '../../src/fixtures/fixture-spec.ts';
import { code, writeDicomFile } from '../../src/fixtures/write-dicom.ts';
import { fixtureUids, writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { startService, type RunningService } from '../../src/watch/service.ts';
import { storeRows, type StoreRows } from './store-rows.ts';

export interface ReceivingService extends StoreRows {
  root: string;
  inbox: string;
  out: string;
  database: string;
  service: RunningService;
  /** the receiver's port */
  port: number;
  close(): Promise<void>;
}

/** The callers the tests' DCMTK peers call as. */
export const TEST_CALLERS = ['STORESCU', 'ECHOSCU'];

/** The real service with its DICOM receiver on a free port, on a temporary inbox/out/store. */
export async function startReceivingService(dicom: Partial<DepartmentConfig['dicom']> = {}, watch: Partial<DepartmentConfig['watch']> = {}): Promise<ReceivingService> {
  const root = await mkdtemp(join(tmpdir(), 'dexa-receiver-'));
  const paths = { inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'data', 'dexa.db') };
  const service = await startService({
    ...paths,
    config: { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.2, quietSeconds: 0.2, ...watch }, dicom: { ...DEFAULT_CONFIG.dicom, enabled: true, allowedCallers: TEST_CALLERS, ...dicom } },
    templates: await loadTemplates('nl'),
    logger: pino({ level: 'silent' }),
    dicomPort: 0,
  });
  return {
    root,
    ...paths,
    service,
    port: service.receiver!.port,
    ...storeRows(paths.database),
    async close() {
      await service.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A Part 10 file's data set: what follows its file meta header. */
export function dataSetOf(file: Uint8Array): Buffer {
  const bytes = Buffer.from(file);
  if (bytes.toString('latin1', 128, 132) !== 'DICM') throw new Error('not a Part 10 file');
  const groupLength = bytes.readUInt32LE(140); // (0002,0000) UL, explicit VR: tag 4, VR 2, length 2, value 4
  return bytes.subarray(144 + groupLength);
}

/** The value bytes of one element (such as x00191000) as the file holds them. */
export async function elementBytes(path: string, tag: string): Promise<Buffer | null> {
  const bytes = await readFile(path);
  const parsed = dicomParser.parseDicom(new Uint8Array(bytes));
  const element = parsed.elements[tag];
  return element ? bytes.subarray(element.dataOffset, element.dataOffset + element.length) : null;
}

/** `n` distinct GE Lunar exports (Enhanced SR), written under `folder`: copies of the first fixture study under other study IDs. */
export async function geExports(folder: string, n: number, prefix: string): Promise<{ path: string; sopInstanceUid: string }[]> {
  await mkdir(folder, { recursive: true });
  const base = FIXTURE_STUDIES[0]!;
  const written: { path: string; sopInstanceUid: string }[] = [];
  for (let k = 0; written.length < n; k++) {
    const study: FixtureStudy = { ...base, id: `${prefix}-${k}` };
    for (let i = 0; i < study.instances.length && written.length < n; i++) {
      const path = join(folder, `${prefix}-${k}-${i}.dcm`);
      await writeFile(path, writeGeSrInstance(study, i));
      written.push({ path, sopInstanceUid: fixtureUids(study).instance(i) });
    }
  }
  return written;
}

/** `n` distinct small Basic Text SR reports (not DXA exports: the watcher archives them unread), written under `folder`. */
export async function textReports(folder: string, n: number, prefix: string): Promise<{ path: string; sopInstanceUid: string }[]> {
  await mkdir(folder, { recursive: true });
  const written: { path: string; sopInstanceUid: string }[] = [];
  for (let i = 0; i < n; i++) {
    const sopInstanceUid = uidFor(`${prefix}/instance/${i}`);
    const path = join(folder, `${prefix}-${i}.dcm`);
    await writeFile(
      path,
      writeDicomFile({
        SOPClassUID: SopClass.BasicTextSR,
        SOPInstanceUID: sopInstanceUid,
        StudyInstanceUID: uidFor(`${prefix}/study/${i % 7}`),
        SeriesInstanceUID: uidFor(`${prefix}/series`),
        Modality: 'SR',
        PatientID: 'TXT0001',
        ValueType: 'CONTAINER',
        ConceptNameCodeSequence: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
        ContinuityOfContent: 'SEPARATE',
        ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: code('121071', 'DCM', 'Finding'), TextValue: `Bevinding ${i}.` }],
      }),
    );
    written.push({ path, sopInstanceUid });
  }
  return written;
}
