import type { DataSet } from 'dicom-parser';
import { SR_SOP_CLASSES, Tag } from '../dicom/tags.ts';
import type { TextReader } from '../dicom/text.ts';

/**
 * A structured report (by its SOP class, or the meta information's when the data set lost it)
 * whose data set stops before the content sequence, with nothing after where the content should
 * be: a file cut at an element boundary, not a report without content. dicom-parser's tags are
 * `xggggeeee` strings of one length, so they compare in tag order.
 */
export function endsBeforeContent(dataSet: DataSet, text: TextReader): boolean {
  if (dataSet.elements[Tag.ContentSequence]) return false;
  const sopClass = text.string(dataSet, Tag.SOPClassUID) ?? text.string(dataSet, Tag.MediaStorageSOPClassUID);
  if (sopClass === null || !SR_SOP_CLASSES.has(sopClass)) return false;
  return Object.keys(dataSet.elements).every((tag) => tag < Tag.ContentSequence);
}
