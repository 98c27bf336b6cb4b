/**
 * `dexa ingest --json` over a large export folder, run as a user runs it (a child process, its
 * NDJSON read from a pipe): BENCH_INGEST_FILES (default 20,000) synthetic GE SR files, two per
 * study, each patient with a study and its follow-up a year later (so every second study is
 * compared with a prior). Prints a line for people and one `RESULT {…}` (what benchIngest returns):
 * files, studies, wall seconds, the time to the first output line, the child's peak RSS (GNU
 * time's maximum resident set size) and its CPU time.
 * Run: node bench/ingest.ts  (BENCH_DEXA=/other/checkout/bin/dexa.js to measure another build)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureStudy } from '../src/fixtures/fixture-spec.ts';
import { dualFemurScan, personAt, spineScan } from '../src/fixtures/scan-builders.ts';
import { fixtureUids, writeGeSrInstance } from '../src/fixtures/write-ge-sr.ts';

export interface IngestBench {
  files: number;
  studies: number;
  seconds: number;
  firstOutputMs: number | null;
  peakRssMB: number;
  /** user and system CPU time of the child: steadier than wall time on a busy machine */
  cpuSeconds: number;
}

/** BENCH_DEXA: another checkout's bin/dexa.js, to compare with this one */
const DEXA = process.env['BENCH_DEXA'] ?? fileURLToPath(new URL('../bin/dexa.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const FOLLOW_UP_DATES = ['2025-06-02', '2026-06-01'] as const;

const TEMPLATE_PATIENT = 'ING-00000000';

/** Study `visit` (0 or 1) of the bench patient: a spine and a dual femur SR, T-scores a little lower at the follow-up. */
function templateStudy(visit: 0 | 1): FixtureStudy {
  const studyDate = FOLLOW_UP_DATES[visit];
  const person = { id: TEMPLATE_PATIENT, family: 'Bench', given: 'Ingest', birthDate: '1955-01-01', sex: 'female' as const };
  const at = personAt(person, studyDate);
  const lower = visit * 0.2;
  return {
    id: `ingest-template-${visit}`, description: '', exercises: [], patient: person, studyDate, referringPhysician: 'Bakker^P.',
    scanner: { manufacturer: 'GE Healthcare', model: 'Lunar iDXA', serial: '1', software: '15.10.046' },
    instances: [
      { scans: [spineScan(at, { L1: -1.2 - lower, L2: -1.4 - lower, L3: -1.3 - lower, L4: -1.1 - lower }, ['L1-L4'])] },
      { scans: [dualFemurScan(at, { neck: -1.8 - lower, total: -1.2 - lower }, { neck: -1.6 - lower, total: -1.0 - lower }, true)] },
    ],
    profileInstances: [], context: { menopausalStatus: 'post', fractureHistory: [] },
    expected: { category: null, path: 'T', indexRegion: null, indexSide: null, indexScore: null, nhgBinary: null, flags: [], releasable: true, vertebralFractures: [] },
  };
}

/**
 * The generator writes some 50 files a second (dcmjs), minutes for 20,000: each visit's files are
 * written once, and each study is that template with its own patient ID and UIDs put in, every
 * one the length of the value it replaces, so no DICOM length changes.
 */
function studyFiles(template: FixtureStudy, templateFiles: Uint8Array[], patient: number, study: number): Uint8Array[] {
  const uids = fixtureUids(template);
  const numbered = (value: string, n: number) => value.slice(0, -8) + String(n).padStart(8, '0');
  const values: [string, string][] = [
    [TEMPLATE_PATIENT, numbered(TEMPLATE_PATIENT, patient)],
    ...[uids.study, uids.series, uids.instance(0), uids.instance(1)].map((uid): [string, string] => [uid, numbered(uid, study)]),
  ];
  return templateFiles.map((template) => {
    const bytes = Buffer.from(template);
    for (const [from, to] of values) replaceAll(bytes, from, to);
    return bytes;
  });
}

function replaceAll(bytes: Buffer, from: string, to: string): void {
  const target = Buffer.from(from, 'latin1');
  for (let at = bytes.indexOf(target); at !== -1; at = bytes.indexOf(target, at + target.length)) bytes.write(to, at, 'latin1');
}

/** Writes `files` SR files (rounded up to whole studies) into `folder`, one folder per patient and date; returns the number of studies. */
export async function writeExports(folder: string, files: number): Promise<number> {
  const templates = ([0, 1] as const).map((visit) => {
    const study = templateStudy(visit);
    return { study, files: study.instances.map((_, index) => writeGeSrInstance(study, index)) };
  });
  const studies = Math.ceil(files / 2);
  for (let index = 0; index < studies; index++) {
    const patient = Math.floor(index / 2);
    const template = templates[index % 2]!;
    const studyFolder = join(folder, `patient-${patient}`, template.study.studyDate);
    await mkdir(studyFolder, { recursive: true });
    const bytes = studyFiles(template.study, template.files, patient, index);
    for (const [instance, content] of bytes.entries()) await writeFile(join(studyFolder, `SR${instance + 1}.dcm`), content);
  }
  return studies;
}

/** Runs `dexa ingest --json folder` under GNU time, reading its output as it comes. */
function timeIngest(folder: string, timeFile: string): Promise<{ seconds: number; firstOutputMs: number | null; lines: number; compared: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, process.execPath, DEXA, 'ingest', '--json', folder], { stdio: ['ignore', 'pipe', 'inherit'] });
    let firstOutputMs: number | null = null;
    let lines = 0;
    let compared = 0;
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      firstOutputMs ??= performance.now() - started;
      const complete = (partial + chunk).split('\n');
      partial = complete.pop() ?? '';
      lines += complete.length;
      compared += complete.filter((line) => line.includes('"priorStudyInstanceUid"')).length;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ seconds: (performance.now() - started) / 1000, firstOutputMs, lines, compared, code }));
  });
}

export async function benchIngest(files: number): Promise<IngestBench> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed to measure the peak RSS of dexa ingest; apt-get install -y time`);
  const root = await mkdtemp(join(tmpdir(), 'dexa-bench-ingest-'));
  try {
    const folder = join(root, 'exports');
    const studies = await writeExports(folder, files);
    const timeFile = join(root, 'time');
    const run = await timeIngest(folder, timeFile);
    if (run.code !== 0 || run.lines !== studies) throw new Error(`dexa ingest exited ${run.code} with ${run.lines} lines for ${studies} studies`);
    // a run that compared no follow-up with its prior would measure less than the real work
    if (run.compared !== Math.floor(studies / 2)) throw new Error(`dexa ingest compared ${run.compared} studies with a prior, not the ${Math.floor(studies / 2)} follow-ups`);
    const [peakRssKb = NaN, user = NaN, system = NaN] = ((await readFile(timeFile, 'utf8')).trim().split('\n').pop() ?? '').split(' ').map(Number);
    return {
      files: studies * 2,
      studies,
      seconds: Math.round(run.seconds * 10) / 10,
      firstOutputMs: run.firstOutputMs === null ? null : Math.round(run.firstOutputMs),
      peakRssMB: Math.round(peakRssKb / 1024),
      cpuSeconds: Math.round((user + system) * 10) / 10,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchIngest(Number(process.env['BENCH_INGEST_FILES'] ?? 20_000));
  console.log(`dexa ingest --json: ${result.files} files (${result.studies} studies) in ${result.seconds} s, the first line after ${result.firstOutputMs} ms, peak RSS ${result.peakRssMB} MB, ${result.cpuSeconds} s CPU`);
  console.log(`RESULT ${JSON.stringify(result)}`);
}
