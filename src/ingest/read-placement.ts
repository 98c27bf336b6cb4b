import { open, stat } from 'node:fs/promises';
import dicomParser, { type DataSet } from 'dicom-parser';
import { parseDicomBytes } from '../dicom/parse-bytes.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../dicom/read-limits.ts';
import { Tag } from '../dicom/tags.ts';
import { textReaderFor } from '../dicom/text.ts';
import { readHeader } from '../readers/dicom-header.ts';

/** The header values that place a file in its study and the study with its patient, before the file is read. */
export interface FilePlacement {
  file: string;
  studyInstanceUid: string;
  patientId: string | null;
  issuer: string | null;
  /** StudyDate, else ContentDate, as the reader takes it */
  studyDate: string | null;
  /** what orders the instances of a study when they are merged */
  instanceNumber: number | null;
  sopInstanceUid: string;
}

/** Enough for the header of any export seen; a longer header is parsed from the whole file. */
const HEAD_BYTES = 64 * 1024;
/** The last header value needed (patient, study and instance come before it in tag order). */
const LAST_TAG = Tag.InstanceNumber;

/**
 * The placement of one file from its header alone: the content tree, most of the parsing, is left
 * for when its study is read. Null when the header cannot be read: the whole file then cannot be
 * read either (the reader reads the same header from the same parse), and reading it says why.
 * Null too for what is not a regular file.
 */
export async function readPlacement(file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<FilePlacement | null> {
  const info = await stat(file).catch(() => null);
  // a FIFO or a pipe (`<(…)`) cannot be read twice, and waits for a writer when opened: none, so it is read once, with the unplaced files
  if (info === null || !info.isFile()) return null;
  const head = await readHead(file, info.size).catch(() => null);
  if (head === null) return null;
  try {
    const dataSet = headerDataSet(head.bytes) ?? (head.whole ? null : parseDicomBytes(await readWhole(file, limits)));
    if (dataSet === null) return null;
    const header = readHeader(dataSet, textReaderFor(dataSet, limits));
    return {
      file,
      studyInstanceUid: header.study.studyInstanceUid,
      patientId: header.patient.id,
      issuer: header.patient.issuer,
      studyDate: header.study.studyDate,
      instanceNumber: header.instanceNumber,
      sopInstanceUid: header.sopInstanceUid,
    };
  } catch {
    return null;
  }
}

/**
 * The data set up to the last header value, when the head holds all of it: parsing stops at that
 * tag, or at the head's end, where a later tag shows that the values before it are whole. What
 * comes after that tag is dropped: at the head's end it may be cut short.
 */
function headerDataSet(head: Uint8Array): DataSet | null {
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(head, { untilTag: LAST_TAG });
  } catch (thrown) {
    const partial = (thrown as { dataSet?: DataSet } | null)?.dataSet;
    if (partial === undefined || !Object.keys(partial.elements).some((tag) => tag > LAST_TAG)) return null;
    dataSet = partial;
  }
  const last = dataSet.elements[LAST_TAG];
  if (last !== undefined && last.dataOffset + last.length > head.length) return null;
  for (const tag of Object.keys(dataSet.elements)) if (tag > LAST_TAG) delete dataSet.elements[tag];
  return dataSet;
}

/** Up to HEAD_BYTES from the start, read on after a short read; one byte more than the file's size shows that it was read whole. */
async function readHead(file: string, size: number): Promise<{ bytes: Uint8Array; whole: boolean }> {
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size + 1, HEAD_BYTES);
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: buffer.subarray(0, filled), whole: filled < length };
  } finally {
    await handle.close();
  }
}

async function readWhole(file: string, limits: ReadLimits): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    if ((await handle.stat()).size > limits.maxFileBytes) throw new Error('over the size limit: the full read refuses it');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
