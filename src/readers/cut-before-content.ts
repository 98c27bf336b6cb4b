import type { DicomDataSet } from '../dicom/data-set.ts';
import { SECONDARY_CAPTURE_SOP_CLASSES, SR_SOP_CLASSES, Tag } from '../dicom/tags.ts';
import type { TextReader } from '../dicom/text.ts';

/**
 * A file cut at an element boundary, not an object without content: a structured report whose
 * data set stops before its content sequence, or a Secondary Capture (a Hologic report page) that
 * stops before its pixel data, with nothing after where that element should be. The SOP class
 * comes from the data set, or the meta information's when the data set lost it. Says what was
 * cut, or null. dicom-parser's tags are `xggggeeee` strings of one length, so they compare in
 * tag order.
 */
export function cutBeforeContent(dataSet: DicomDataSet, text: TextReader): string | null {
  const sopClass = text.string(dataSet, Tag.SOPClassUID) ?? text.string(dataSet, Tag.MediaStorageSOPClassUID);
  if (sopClass === null) return null;
  const [last, what] = SR_SOP_CLASSES.has(sopClass)
    ? [Tag.ContentSequence, 'the structured report ends before its content']
    : SECONDARY_CAPTURE_SOP_CLASSES.has(sopClass)
      ? [Tag.PixelData, 'the report image ends before its pixel data']
      : [null, ''];
  if (last === null || dataSet.elements[last]) return null;
  return Object.keys(dataSet.elements).every((tag) => tag < last) ? what : null;
}
