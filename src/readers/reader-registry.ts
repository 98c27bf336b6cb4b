import { Tag } from '../dicom/tags.ts';
import { ProblemCode, ReadError } from '../model/problems.ts';
import { quoteInput, shortInput } from '../model/quote-input.ts';
import { READER_IDS, type ReaderId } from '../model/study.ts';
import { profileReader } from './dexa-profile/read-profile-sr.ts';
import { geLunarReader } from './ge-lunar/read-ge-lunar-sr.ts';
import { hologicApexReader } from './hologic/read-hologic-apex.ts';
import type { DicomObject, Reader } from './reader.ts';

/**
 * Every reader, by the id the model records (model/study.ts READER_IDS). Typed by that list, so
 * an id without its reader, or a reader under another's id, does not compile: a new export
 * format is read by adding its id there and its reader here.
 */
export const READERS: { readonly [Id in ReaderId]: Reader<Id> } = {
  'ge-lunar-enhanced-sr': geLunarReader,
  'dexa-profile-sr': profileReader,
  'hologic-apex': hologicApexReader,
};

/** The readers in the order of READER_IDS. */
export const READER_LIST: readonly Reader[] = READER_IDS.map((id) => READERS[id]);

/**
 * The one reader that recognises the object. None: a ReadError saying what the object is.
 * More than one: a fault in the registry, never a diagnosis of the file (an Error, not a ReadError).
 */
export function recogniseReader(object: DicomObject, readers: readonly Reader[] = READER_LIST): Reader {
  const claiming = readers.filter((reader) => reader.recognises(object));
  if (claiming.length > 1) {
    throw new Error(`readers ${claiming.map((reader) => reader.id).join(' and ')} both recognise the object: each object must be one reader's`);
  }
  const [reader] = claiming;
  if (reader === undefined) throw unrecognised(object);
  return reader;
}

/**
 * No reader reads the object: NOT_SR for an object that is no structured report (naming its
 * modality, SOP class and, when it has one, its manufacturer), NOT_DXA_SR for a structured report
 * of another kind (naming its title).
 */
function unrecognised(object: DicomObject): ReadError {
  const report = object.structuredReport();
  if (report === null) {
    // read as strictly as before the registry: a Modality that cannot be read fails the file on its own account
    const modality = object.text.string(object.dataSet, Tag.Modality) ?? 'unknown modality';
    const manufacturer = object.manufacturer();
    return new ReadError(
      ProblemCode.NOT_SR,
      `not a structured report: a ${shortInput(modality)} object of SOP class ${object.sopClassUid === null ? '(none)' : shortInput(object.sopClassUid)}` +
        (manufacturer === null ? '' : ` from ${quoteInput(manufacturer)}`),
    );
  }
  const { root } = report;
  const concept = root.concept
    ? `${quoteInput(root.concept.meaning)} (${shortInput(root.concept.scheme)} ${shortInput(root.concept.value)})`
    : 'no title';
  return new ReadError(ProblemCode.NOT_DXA_SR, `a structured report with ${concept}, not a DXA report this service can read`);
}
