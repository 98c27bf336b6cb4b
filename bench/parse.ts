/**
 * Parse speed over the committed fixtures: files per second for the reader (bytes → canonical
 * instance) and for a full ingest pass (read, merge), with dcmjs read+naturalize for comparison.
 * Run: npm run bench  (BENCH_SECONDS to change the time per measurement; default 3)
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { collectFiles } from '../src/ingest/collect-files.ts';
import { mergeStudy } from '../src/ingest/merge-study.ts';
import { readInstance } from '../src/readers/read-instance.ts';
import { readExportBytes } from '../src/ingest/read-file.ts';
import { hugeXmlNumber, manyContainers, manyLongTexts } from '../tests/helpers/hostile-inputs.ts';
import { filesPerSecond } from './files-per-second.ts';
import type { InstanceExtraction } from '../src/model/study.ts';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const { files } = await collectFiles([fixtures]);
const buffers = await Promise.all(files.map(async (file) => ({ file, bytes: await readFile(file) })));
const totalBytes = buffers.reduce((sum, { bytes }) => sum + bytes.length, 0);

function measure(name: string, pass: () => void): number {
  return filesPerSecond(name, buffers.length, totalBytes, seconds, pass);
}

console.log(`${buffers.length} fixture files, ${(totalBytes / 1024).toFixed(0)} KiB, node ${process.version}, ${seconds} s each`);
const reader = measure('reader (bytes → canonical instance)', () => {
  for (const { file, bytes } of buffers) readInstance(bytes, file);
});
// the floor: dicom-parser's own parse of the same bytes, which the reader builds on and then checks
const rawParse = measure('dicom-parser parseDicom (raw parse)', () => {
  for (const { bytes } of buffers) dicomParser.parseDicom(bytes);
});
console.log(`reader / raw parse: ${(reader / rawParse).toFixed(2)} (target ≥ 0.6)`);
measure('reader + merge per study', () => {
  const byStudy = new Map<string, InstanceExtraction[]>();
  for (const { file, bytes } of buffers) {
    const extraction = readInstance(bytes, file);
    byStudy.set(extraction.study.studyInstanceUid, [...(byStudy.get(extraction.study.studyInstanceUid) ?? []), extraction]);
  }
  for (const parts of byStudy.values()) mergeStudy(parts);
});
measure('dcmjs read + naturalize (reference)', () => {
  for (const { bytes } of buffers) {
    const message = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
    dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
  }
});
// hostile and huge inputs: each must be refused or read within a second (the target)
for (const [name, bytes] of [
  ['50 MB XML number (refused)', hugeXmlNumber(50_000_000)],
  ['1,000,000 containers (refused)', manyContainers(1_000_000)],
  ['49,000 containers (read)', manyContainers(49_000)],
  ['63 texts of 1 MiB (read)', manyLongTexts(63)],
] as const) {
  const started = performance.now();
  const outcome = readExportBytes(bytes, 'hostile.dcm');
  const ms = performance.now() - started;
  console.log(`hostile: ${name.padEnd(31)} ${ms.toFixed(0).padStart(6)} ms  ${outcome.ok ? 'read' : outcome.failure.code}  (target < 1000 ms)`);
}
const memory = process.memoryUsage();
console.log(`memory: rss ${(memory.rss / 1e6).toFixed(0)} MB, heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
console.log(`RESULT ${JSON.stringify({ files: buffers.length, readerFilesPerSecond: Math.round(reader), rawParseFilesPerSecond: Math.round(rawParse), ratioToRawParse: Number((reader / rawParse).toFixed(2)) })}`);
