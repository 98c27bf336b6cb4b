import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctImage, textReportSr } from '../helpers/other-objects.ts';
import { dcmtkAvailable, echo, store } from '../helpers/dcmtk.ts';
import { elementBytes, startReceivingService, type ReceivingService } from '../helpers/receiver.ts';
import { ndjson, runDexa } from '../helpers/run-cli.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { letterFileName } from '../../src/letters/file-name.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const available = dcmtkAvailable();

/** Every GE and Hologic fixture file: the GE SRs, the DXA SR profile's, the Hologic Secondary Captures. */
async function fixtureFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of (await readdir(FIXTURES, { withFileTypes: true })).filter((entry) => entry.isDirectory())) {
    for (const name of (await readdir(join(FIXTURES, folder.name))).sort()) if (/^(SR|PR|HL)\d+\.dcm$/.test(name)) files.push(join(FIXTURES, folder.name, name));
  }
  return files;
}

interface Outcome {
  /** study UID → its category and its instances */
  studies: Record<string, { category: string | null; instances: string[] }>;
}

/** The text of a letter PDF, pages joined. */
async function letterText(path: string): Promise<string> {
  return (await extractPdfText(await readFile(path))).join('\n');
}

/** A temporary folder holding `files`, each under its fixture folder's name, as a folder drop would. */
async function dropFolder(files: string[], prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  for (const file of files) {
    const into = join(folder, basename(join(file, '..')));
    await mkdir(into, { recursive: true });
    await cp(file, join(into, basename(file)));
  }
  return folder;
}

/** What a folder drop of the same files gives: `dexa ingest --json` of them (no clinical context, as over DICOM). */
async function folderDrop(files: string[]): Promise<Outcome> {
  const folder = await dropFolder(files, 'dexa-drop-');
  try {
    const run = await runDexa(['ingest', '--json', folder]);
    const studies: Outcome['studies'] = {};
    for (const result of ndjson(run.stdout) as { study: { studyInstanceUid: string }; instances: { sopInstanceUid: string }[]; classification: { category: string | null } | null }[]) {
      studies[result.study.studyInstanceUid] = { category: result.classification?.category ?? null, instances: result.instances.map((i) => i.sopInstanceUid).sort() };
    }
    return { studies };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * The letters `dexa render` writes for a folder of the same files (no clinical context, as over
 * DICOM): file name → text. No --date: today's date is printed, as the service prints it.
 */
async function folderDropLetters(files: string[]): Promise<Map<string, string>> {
  const folder = await dropFolder(files, 'dexa-render-');
  const out = await mkdtemp(join(tmpdir(), 'dexa-render-letters-'));
  try {
    const run = await runDexa(['render', '--out', out, folder]);
    const letters = new Map<string, string>();
    for (const name of (await readdir(out)).filter((entry) => entry.endsWith('.pdf'))) letters.set(name, await letterText(join(out, name)));
    if (letters.size === 0) throw new Error(`dexa render wrote no letters: ${run.stderr}`);
    return letters;
  } finally {
    await rm(folder, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
}

/** What the service made of what it received: each study's current category and its instances. */
function serviceOutcome(running: ReceivingService): Outcome {
  const studies: Outcome['studies'] = {};
  const categories = running.rows<{ study_uid: string; category: string | null }>(
    'SELECT s.study_uid, c.category FROM studies s JOIN classifications c ON c.study_ref = s.id AND c.version = (SELECT MAX(version) FROM classifications WHERE study_ref = s.id)',
  );
  for (const row of categories) studies[row.study_uid] = { category: row.category, instances: [] };
  for (const row of running.rows<{ study_uid: string; sop_instance_uid: string }>('SELECT s.study_uid, i.sop_instance_uid FROM instances i JOIN studies s ON s.id = i.study_ref ORDER BY i.sop_instance_uid')) {
    (studies[row.study_uid] ??= { category: null, instances: [] }).instances.push(row.sop_instance_uid);
  }
  for (const study of Object.values(studies)) study.instances.sort();
  return { studies };
}

/**
 * Every study's GP and patient letter, as the service wrote them (its current letter records, in
 * out/letters or out/review), says word for word what `dexa render` of a folder of the same files
 * wrote: matched by the name render gives the study's letter (`{studyDate}_{accession}_{letter}`).
 * The service may have written a study's letters more than once as its files arrived (a later
 * version is named `_v2`); its latest version is the one compared. Nothing is normalised: both
 * print today's date, and the PDF creation date is not in the text.
 */
async function expectSameLetters(running: ReceivingService, studyUids: string[], rendered: Map<string, string>): Promise<void> {
  const records = running.rows<{ study_uid: string; accession: string | null; study_date: string | null; kind: 'gp' | 'patient'; path: string }>(
    `SELECT s.study_uid, s.accession, s.study_date, l.kind, l.path FROM letters l JOIN studies s ON s.id = l.study_ref
      WHERE l.version = (SELECT MAX(version) FROM letters WHERE study_ref = l.study_ref) ORDER BY s.study_uid, l.kind`,
  );
  const compared: string[] = [];
  const matched = new Set<string>();
  for (const record of records) {
    const name = letterFileName(DEFAULT_CONFIG.letters.fileNamePattern, {
      studyDate: record.study_date,
      accession: record.accession ?? record.study_uid.slice(-12),
      studyUid: record.study_uid,
      patientId: null,
      letter: record.kind,
      language: 'nl',
      version: '1',
    });
    expect([join(running.out, 'letters'), join(running.out, 'review')]).toContain(dirname(record.path));
    expect(rendered.has(name), `${record.study_uid} ${record.kind}: render wrote no ${name}`).toBe(true);
    expect(await letterText(record.path), `${record.study_uid} ${record.kind} (${record.path})`).toBe(rendered.get(name));
    compared.push(`${record.study_uid} ${record.kind}`);
    matched.add(name);
  }
  // every study, both letters, and every letter render wrote
  expect(compared.sort()).toEqual(studyUids.flatMap((uid) => [`${uid} gp`, `${uid} patient`]).sort());
  expect(compared.length).toBe(2 * studyUids.length);
  expect([...matched].sort()).toEqual([...rendered.keys()].sort());
}

/** Where the watcher put the file the receiver wrote for `sopInstanceUid`. */
function archivedCopy(running: ReceivingService, sopInstanceUid: string): string {
  const receipt = running.row<{ inbox_path: string }>('SELECT inbox_path FROM dicom_receipts WHERE sop_instance_uid = ? AND inbox_path IS NOT NULL', sopInstanceUid);
  const file = running.row<{ destination: string }>('SELECT destination FROM files WHERE inbox_path = ? AND moved = 1', receipt!.inbox_path);
  return file!.destination;
}

/** Each Hologic file's private blob (0019,1000), as archived from the inbox, is the one sent, byte for byte. */
async function expectPrivateBlobsKept(running: ReceivingService, files: string[], transferSyntax: string): Promise<void> {
  const hologic = files.filter((file) => basename(file).startsWith('HL'));
  expect(hologic.length).toBeGreaterThan(0);
  for (const file of hologic) {
    const uid = (await elementBytes(file, 'x00080018'))!.toString('latin1').replace(/\0$/, '');
    expect(running.row<{ t: string }>('SELECT transfer_syntax_uid AS t FROM dicom_receipts WHERE sop_instance_uid = ?', uid)!.t).toBe(transferSyntax);
    const before = await elementBytes(file, 'x00191000');
    expect(before?.length, file).toBeGreaterThan(0);
    expect((await elementBytes(archivedCopy(running, uid), 'x00191000'))!.equals(before!), file).toBe(true);
  }
}

describe.skipIf(!available)('the DICOM receiver with DCMTK peers', () => {
  let running: ReceivingService | null = null;
  let files: string[] = [];
  let expected: Outcome;
  /** the letters `dexa render` writes for the same files (file name → text): rendered while the receiver works, awaited where compared */
  let dropLetters: Promise<Map<string, string>>;

  beforeAll(async () => {
    files = await fixtureFiles();
    dropLetters = folderDropLetters(files);
    dropLetters.catch(() => undefined); // told where it is awaited
    expected = await folderDrop(files);
    running = await startReceivingService();
  }, 60_000); // a folder drop of every fixture first: grows with the fixtures
  afterAll(async () => {
    await running?.close();
  });

  it('answers echoscu, and refuses an unknown called AE title and a calling AE title not allowed', async () => {
    const { port } = running!;
    const answered = await echo(port, 'ECHOSCU', 'DEXA');
    expect(answered.code, answered.output).toBe(0);
    const wrongCalled = await echo(port, 'ECHOSCU', 'NOT_DEXA');
    expect(wrongCalled.code).not.toBe(0);
    expect(wrongCalled.output).toMatch(/Rejected Permanent, Source: Service User[\s\S]*Called AE Title Not Recognized/);
    const stranger = await echo(port, 'STRANGER', 'DEXA');
    expect(stranger.code).not.toBe(0);
    expect(stranger.output).toMatch(/Rejected Permanent, Source: Service User[\s\S]*Calling AE Title Not Recognized/);
    const recorded = running!.rows<{ calling_ae: string; outcome: string; reason: string | null }>('SELECT calling_ae, outcome, reason FROM dicom_associations ORDER BY started_at');
    expect(recorded.map((a) => [a.calling_ae, a.outcome])).toEqual([
      ['ECHOSCU', 'released'],
      ['ECHOSCU', 'rejected'],
      ['STRANGER', 'rejected'],
    ]);
    expect(recorded[2]!.reason).toMatch(/STRANGER .* not an allowed caller/);
  });

  it('refuses a storescu whose calling AE title is not allowed, and a CT image: its presentation context is not accepted, the report beside it is', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dexa-ct-'));
    try {
      const [ct, report] = [join(root, 'ct.dcm'), join(root, 'report.dcm')];
      await writeFile(ct, ctImage());
      await writeFile(report, textReportSr());
      const stranger = await store(running!.port, [report], { callingAe: 'STRANGER' });
      expect(stranger.code).not.toBe(0);
      expect(stranger.output).toMatch(/Rejected Permanent, Source: Service User[\s\S]*Calling AE Title Not Recognized/);
      const mixed = await store(running!.port, [report, ct]);
      expect(mixed.output).toMatch(/No presentation context for: \(CT\) 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2/);
      expect(running!.rows('SELECT sop_class_uid FROM dicom_receipts')).toEqual([{ sop_class_uid: '1.2.840.10008.5.1.4.1.1.88.11' }]);
      const alone = await store(running!.port, [ct]);
      expect(alone.code).not.toBe(0);
      expect(alone.output).toMatch(/No Acceptable Presentation Contexts/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('storescu of every GE and Hologic fixture in explicit little endian ends as a folder drop does, its letters word for word, and keeps the Hologic private blob (0019,1000)', async () => {
    const sent = await store(running!.port, files, { syntax: '-xe' });
    expect(sent.code, sent.output).toBe(0);
    await running!.service.idle();
    expect(running!.count("SELECT COUNT(*) AS n FROM dicom_receipts WHERE duplicate = 0 AND sop_class_uid != '1.2.840.10008.5.1.4.1.1.88.11'")).toBe(files.length);
    expect(serviceOutcome(running!)).toEqual(expected);
    await expectSameLetters(running!, Object.keys(expected.studies), await dropLetters);
    await expectPrivateBlobsKept(running!, files, '1.2.840.10008.1.2.1');
  }, 60_000); // room for reading 104 letters, and for a render still running on a busy machine

  it('storescu in implicit little endian (another service) ends as a folder drop does, and keeps the Hologic private blob (0019,1000)', async () => {
    const implicit = await startReceivingService();
    try {
      const sent = await store(implicit.port, files, { syntax: '-xi' });
      expect(sent.code, sent.output).toBe(0);
      await implicit.service.idle();
      expect(serviceOutcome(implicit)).toEqual(expected);
      await expectPrivateBlobsKept(implicit, files, '1.2.840.10008.1.2');
    } finally {
      await implicit.close();
    }
  });
});
