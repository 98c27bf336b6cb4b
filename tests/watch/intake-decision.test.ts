import { describe, expect, it } from 'vitest';
import { writeGeSrInstance } from '../../src/fixtures/write-ge-sr.ts';
import { parseContext } from '../../src/ingest/load-context.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import { ProblemCode } from '../../src/model/problems.ts';
import { decideIntake, endsTooEarly, type IntakeFacts } from '../../src/watch/intake-decision.ts';
import { syntheticStudy } from '../helpers/studies.ts';

const at = new Date('2026-11-23T10:00:00.000Z');
const bytes = writeGeSrInstance(syntheticStudy('decide'), 0);
const whole = readExportBytes(bytes, 'a/SR1.dcm');
const cut = readExportBytes(bytes.subarray(0, bytes.length - 40), 'a/SR1.dcm');
const base: IntakeFacts = { kind: 'export', size: bytes.length, maxFileBytes: 1_000_000, read: { export: whole }, incomplete: null, duplicate: false, at };
const waiting = (tries: number, sinceSeconds: number, waitSeconds: number) => ({
  inboxPath: 'a/SR1.dcm', folder: 'a', size: 1, mtimeMs: 1, sha256: 'x', problem: 'TRUNCATED', tries,
  unchangedSince: new Date(at.getTime() - sinceSeconds * 1000).toISOString(),
  quarantineAt: new Date(at.getTime() - sinceSeconds * 1000 + waitSeconds * 1000).toISOString(),
});

describe('what becomes of an inbox file, decided from the facts alone', () => {
  it.each([
    ['a note beside the exports', { ...base, kind: 'other' as const, read: null }, 'ignored'],
    ['a file over the size limit', { ...base, read: null }, 'quarantined'],
    ['a whole export', base, 'stored'],
    ['an export whose instance is stored', { ...base, duplicate: true }, 'duplicate'],
    ['a valid context file', { ...base, kind: 'context' as const, read: { context: parseContext('{"menopausalStatus":"post"}', 'a/context.json'), text: '{"menopausalStatus":"post"}' } }, 'context'],
    ['a context file that is not JSON', { ...base, kind: 'context' as const, read: { context: parseContext('{', 'a/context.json'), text: '{' } }, 'quarantined'],
    ['a cut export, not (yet) waited for', { ...base, read: { export: cut } }, 'quarantined'],
    ['a cut export within its wait', { ...base, read: { export: cut }, incomplete: waiting(3, 5, 600) }, 'wait'],
    ['a cut export whose wait is over', { ...base, read: { export: cut }, incomplete: waiting(9, 600, 600) }, 'quarantined'],
  ])('%s: %s', (_, facts, kind) => {
    expect(decideIntake(facts).kind).toBe(kind);
  });

  it('backs off 1 s, 2 s, 4 s … at most a minute, never past the quarantine time', () => {
    const retry = (tries: number, since: number, wait: number) => {
      const decision = decideIntake({ ...base, read: { export: cut }, incomplete: waiting(tries, since, wait) });
      return decision.kind === 'wait' ? (decision.retryAt.getTime() - at.getTime()) / 1000 : null;
    };
    expect([1, 2, 3, 4, 7, 8, 20].map((tries) => retry(tries, 0, 600))).toEqual([1, 2, 4, 8, 60, 60, 60]);
    expect(retry(7, 590, 600)).toBe(10);
  });

  it('says why, with the code, how long it waited, and the size limit', () => {
    expect(decideIntake({ ...base, read: null })).toEqual({ kind: 'quarantined', reason: `LIMIT_EXCEEDED: the file is ${bytes.length} bytes, more than the limit of 1000000; it was not read` });
    const over = decideIntake({ ...base, read: { export: cut }, incomplete: waiting(9, 605, 600) });
    expect(over.kind === 'quarantined' && over.reason).toMatch(/^TRUNCATED: .*; still incomplete 605 s after its last change$/);
  });

  it('waits only for files that end too soon', () => {
    expect(endsTooEarly(ProblemCode.TRUNCATED, 5000)).toBe(true);
    expect(endsTooEarly(ProblemCode.EMPTY_FILE, 0)).toBe(true);
    expect(endsTooEarly(ProblemCode.NOT_DICOM, 100)).toBe(true);
    expect(endsTooEarly(ProblemCode.NOT_DICOM, 132)).toBe(false);
    expect(endsTooEarly(ProblemCode.LIMIT_EXCEEDED, 10)).toBe(false);
  });
});
