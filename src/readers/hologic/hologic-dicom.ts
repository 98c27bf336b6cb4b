import type { DicomDataSet } from '../../dicom/data-set.ts';
import type { TextReader } from '../../dicom/text.ts';
import { ReadError } from '../../model/problems.ts';
import type { DicomObject } from '../reader.ts';
import { HologicObjectError, HologicObjectFault } from './hologic-object-error.ts';

/**
 * Hologic APEX's private elements (research dxa-dicom-sr.md §2.1, from real exports and
 * pydicom's private dictionary). Each block is reserved by the creator `HOLOGIC` at (gggg,0010)
 * and its elements sit at (gggg,10xx).
 */
export const HOLOGIC_CREATOR = 'HOLOGIC';
export const HologicTag = {
  /** (0019,0010) reserves the block of the results blob */
  BlobCreator: 'x00190010',
  /** (0019,1000) the results blob: CRLF text, VR UN, OB or LT depending on the route */
  Blob: 'x00191000',
  /** (0013,0010) reserves the block of the IVA flag */
  IvaCreator: 'x00130010',
  /** (0013,1000) = "IVA Results" on an IVA results page (CLSA/cypress IVAImagingScanManager.cpp) */
  IvaFlag: 'x00131000',
} as const;

/** Creators of every block APEX writes: (0013), (0019), (0023) encoding scheme, (0029) graph bitmap. */
const CREATOR_TAGS = ['x00130010', 'x00190010', 'x00230010', 'x00290010'] as const;

/** Manufacturer HOLOGIC…, no structured report, and at least one private block reserved by HOLOGIC. */
export function isHologicApexObject(object: DicomObject): boolean {
  if (object.isStructuredReport) return false;
  if (!/^HOLOGIC/i.test(object.manufacturer() ?? '')) return false;
  return CREATOR_TAGS.some((tag) => creatorOf(object.dataSet, object.text, tag) === HOLOGIC_CREATOR);
}

/** The IVA results page's own flag, (0013,1000) = "IVA Results" under the HOLOGIC creator. */
export function hasIvaResultsFlag(object: DicomObject): boolean {
  if (creatorOf(object.dataSet, object.text, HologicTag.IvaCreator) !== HOLOGIC_CREATOR) return false;
  return readable(() => object.text.string(object.dataSet, HologicTag.IvaFlag)) === 'IVA Results';
}

/**
 * The (0019,1000) blob decoded by the object's SpecificCharacterSet (dicom/text.ts, within the
 * read limits' text size); null when the element is absent. The block must be HOLOGIC's: a blob
 * under no creator, or under another, is an error and never read.
 */
export function hologicBlobText(object: DicomObject): string | null {
  const { dataSet, text } = object;
  const creator = creatorOf(dataSet, text, HologicTag.BlobCreator);
  const present = dataSet.elements[HologicTag.Blob] !== undefined;
  if (creator !== HOLOGIC_CREATOR) {
    if (!present) return null;
    throw new HologicObjectError(
      HologicObjectFault.MISSING_CREATOR,
      creator === null
        ? 'the results blob (0019,1000) has no private creator (0019,0010): it cannot be known to be HOLOGIC\'s'
        : `the results blob (0019,1000) belongs to private creator ${JSON.stringify(creator)}, not HOLOGIC`,
    );
  }
  return text.text(dataSet, HologicTag.Blob);
}

function creatorOf(dataSet: DicomDataSet, text: TextReader, tag: string): string | null {
  return readable(() => text.string(dataSet, tag));
}

/** A value used only to recognise the object: one that cannot be read counts as absent. */
function readable(read: () => string | null): string | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof ReadError) return null;
    throw error;
  }
}
