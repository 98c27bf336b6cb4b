/**
 * Reader speed on Hologic APEX report pages beside GE Lunar SRs: files per second through the same
 * read path as the service (readExportBytes), for BENCH_HOLOGIC_N (default 4) pages of each kind
 * (spine, hip, dual hip, forearm, IVA) from the Hologic fixture studies, each with a report image
 * of real size (1440 × 1620 RGB, about 7 MB, and a 116 kB BMP in (0029,1000)) so that skipping
 * it is measured (the same pages with the tiny pixel page for comparison); then the same pages by kind and with every blob in each VR (UN, OB, LT).
 * Both vendors have one target, the files per second a backlog needs (TARGET_FILES_PER_SECOND).
 * Run: node bench/parse-hologic.ts  (part of npm run bench; BENCH_SECONDS per measurement, default 3)
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FIXTURE_STUDIES } from '../src/fixtures/cases.ts';
import type { FixtureStudy, HologicFixtureScan } from '../src/fixtures/fixture-spec.ts';
import { writeHologicScan } from '../src/fixtures/write-hologic-fixture.ts';
import type { BlobVr, ReportImage } from '../src/fixtures/write-hologic-sc.ts';
import { collectFiles } from '../src/ingest/collect-files.ts';
import { readExportBytes } from '../src/ingest/read-file.ts';
import { filesPerSecond } from './files-per-second.ts';
import type { ReaderId } from '../src/model/study.ts';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const perKind = Number(process.env['BENCH_HOLOGIC_N'] ?? 4);
/**
 * A backlog of 1,000 studies of four Hologic pages each (4,000 files, about 28 GB) read in under
 * 40 s, well inside the time the service then spends on letters; the same for GE.
 */
const TARGET_FILES_PER_SECOND = 100;
const REPORT_IMAGE: ReportImage = { rows: 1620, columns: 1440, bmpBytes: 116 * 1024 };
const KINDS: HologicFixtureScan['kind'][] = ['spine', 'hip', 'dual_hip', 'forearm', 'iva'];
const VRS: BlobVr[] = ['UN', 'OB', 'LT'];

/** A full collection before each measurement, so the garbage of writing 7 MB pages is not billed to the reader. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Input {
  file: string;
  bytes: Uint8Array;
}

/** Reads every input once and fails the benchmark unless each is read, and by the expected reader. */
function check(name: string, inputs: Input[], reader: ReaderId): void {
  for (const { file, bytes } of inputs) {
    const outcome = readExportBytes(bytes, file);
    if (!outcome.ok) throw new Error(`${name}: ${file} is not read: ${outcome.failure.code} ${outcome.failure.error}`);
    if (outcome.extraction.instance.reader !== reader) throw new Error(`${name}: ${file} is read by ${outcome.extraction.instance.reader}, not ${reader}`);
  }
}

/** Files per second over `inputs`, in the format of bench/parse.ts. */
function measure(name: string, inputs: Input[]): number {
  const totalBytes = inputs.reduce((sum, { bytes }) => sum + bytes.length, 0);
  collectGarbage();
  return filesPerSecond(name, inputs.length, totalBytes, seconds, () => {
    for (const { file, bytes } of inputs) readExportBytes(bytes, file);
  });
}

/** The first scan of each kind in the Hologic fixture studies, with its study and index. */
const sources = KINDS.map((kind) => {
  for (const study of FIXTURE_STUDIES) {
    const index = study.hologicScans?.findIndex((scan) => scan.kind === kind) ?? -1;
    if (index >= 0) return { kind, study, index };
  }
  throw new Error(`no Hologic fixture study has a ${kind} scan`);
});

/** `perKind` separate copies of the scan's page with a report image of real size (or the tiny page), its blob in `vr` if given. */
function pages(source: { kind: string; study: FixtureStudy; index: number }, vr?: BlobVr, reportImage: ReportImage | null = REPORT_IMAGE): Input[] {
  const scans = source.study.hologicScans ?? [];
  const study = vr === undefined ? source.study : { ...source.study, hologicScans: scans.map((scan, i) => (i === source.index ? { ...scan, blobVr: vr } : scan)) };
  const bytes = writeHologicScan(study, source.index, reportImage ?? undefined);
  return Array.from({ length: perKind }, (_, copy) => ({ file: `${source.kind}-${vr ?? 'fixture'}-${copy}.dcm`, bytes: bytes.slice() }));
}

const mib = (inputs: Input[]) => (inputs.reduce((sum, { bytes }) => sum + bytes.length, 0) / 1024 ** 2).toFixed(1);
let peakRss = 0;
const notePeak = () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss));

// GE Lunar and Hologic as committed (tiny pixel pages), for reference
const { files } = await collectFiles([fileURLToPath(new URL('../fixtures/', import.meta.url))]);
const fixtures = await Promise.all(files.map(async (file) => ({ file, bytes: new Uint8Array(await readFile(file)) })));
const readerOf = (input: Input) => {
  const outcome = readExportBytes(input.bytes, input.file);
  return outcome.ok ? outcome.extraction.instance.reader : null;
};
const ge = fixtures.filter((input) => readerOf(input) === 'ge-lunar-enhanced-sr');
const hologicFixtures = fixtures.filter((input) => readerOf(input) === 'hologic-apex');

const real = sources.flatMap((source) => pages(source));
check('Hologic', real, 'hologic-apex');
const tiny = sources.flatMap((source) => pages(source, undefined, null));
const pageBytes = real[0]?.bytes.length ?? 0;
console.log(
  `${ge.length} GE Lunar fixture SRs (${mib(ge)} MiB); ${hologicFixtures.length} Hologic fixture pages (${mib(hologicFixtures)} MiB); ` +
    `${real.length} Hologic pages of real size, ${perKind} of each kind (${(pageBytes / 1e6).toFixed(1)} MB each, ${mib(real)} MiB); node ${process.version}, ${seconds} s each`,
);
notePeak();
const geRate = measure('GE Lunar SR (fixtures)', ge);
measure('Hologic, tiny page (fixtures)', hologicFixtures);
measure('Hologic, all kinds, tiny page', tiny);
const hologicRate = measure('Hologic, real-size page, all kinds', real);
notePeak();
for (const kind of KINDS) measure(`  ${kind.replace('_', ' ')}`, real.filter((input) => input.file.startsWith(`${kind}-`)));
real.length = 0;
for (const vr of VRS) {
  const inVr = sources.flatMap((source) => pages(source, vr));
  check(`Hologic ${vr}`, inVr, 'hologic-apex');
  notePeak();
  measure(`  blob as ${vr}, all kinds`, inVr);
}
const verdict = (rate: number) => `${rate.toFixed(0)} files/s ${rate >= TARGET_FILES_PER_SECOND ? 'meets' : 'MISSES'} it`;
console.log(`target: reader ≥ ${TARGET_FILES_PER_SECOND} files/s for each vendor (a 4,000-file backlog in 40 s): GE Lunar ${verdict(geRate)}, Hologic ${verdict(hologicRate)}`);
const memory = process.memoryUsage();
console.log(`memory: rss ${(memory.rss / 1e6).toFixed(0)} MB (peak seen ${(Math.max(peakRss, memory.rss) / 1e6).toFixed(0)} MB), heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
