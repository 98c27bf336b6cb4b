import { describe, expect, it } from 'vitest';
import type { ReadLimits } from '../../src/dicom/read-limits.ts';
import { readExportBytes } from '../../src/ingest/read-file.ts';
import { fixtureStudy, instanceBytes } from '../helpers/exports.ts';

describe('reading one export', () => {
  it('a failure no reader foresaw is READER_FAILURE, told apart from any diagnosis of the file', () => {
    // limits that are not there make the reader itself fail, as a bug would
    const outcome = readExportBytes(instanceBytes(fixtureStudy('02'), 0), 'bug.dcm', null as unknown as ReadLimits);
    expect(outcome.ok ? null : outcome.failure).toEqual({
      file: 'bug.dcm',
      code: 'READER_FAILURE',
      error: 'the reader failed unexpectedly (TypeError); this is a fault in dexa-report, not in the file',
    });
  });
});
