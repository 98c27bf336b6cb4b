/**
 * How a letter leaves the department, said under its signature: approved by a named person on a
 * date after review, released by the department's protocol without individual review (under the
 * configured responsible radiologist), or a draft nobody has reviewed yet.
 */
export type SignOff = { kind: 'draft' } | { kind: 'protocol' } | { kind: 'approved'; by: string; date: string };

/** A letter whose study holds is a draft; one that may go out unread is released by protocol. */
export function defaultSignOff(held: boolean): SignOff {
  return held ? { kind: 'draft' } : { kind: 'protocol' };
}
