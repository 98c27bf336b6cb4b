import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../src/dicom/read-limits.ts';
import { readExportBytes, readExportFile } from '../../src/ingest/read-file.ts';
import { fixtureStudy, instanceBytes, readBad } from '../helpers/exports.ts';
import { hugeXmlNumber } from '../helpers/hostile-inputs.ts';

const run = promisify(execFile);
const HEAP_MB = 256;

interface HostileOutcome {
  bytes: number;
  ok: boolean;
  code: string | null;
  error: string | null;
  ms: number;
}

/** Builds and reads one hostile input in a child process whose heap cannot grow past 256 MB. */
async function readHostile(builder: string, size: number): Promise<HostileOutcome> {
  const script = new URL('../helpers/read-hostile.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, [`--max-old-space-size=${HEAP_MB}`, script, builder, String(size)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as HostileOutcome;
}

const withLimits = (change: Partial<ReadLimits>): ReadLimits => ({ ...DEFAULT_READ_LIMITS, ...change });

describe('bounded work per file', () => {
  it('a 50 MB export whose XML holds one 50 MB number is refused at once, in 256 MB of heap, quoting none of it', async () => {
    const outcome = await readHostile('hugeXmlNumber', 50_000_000);
    expect(outcome.bytes).toBeGreaterThan(50_000_000);
    expect(outcome.code).toBe('LIMIT_EXCEEDED');
    expect(outcome.error).toBe('element (0020,4000) is 50003234 bytes long, more than the limit of 16777216');
  });

  it('an SR with 1,000,000 containers is refused at once, in 256 MB of heap', async () => {
    const outcome = await readHostile('manyContainers', 1_000_000);
    expect(outcome.code).toBe('LIMIT_EXCEEDED');
    expect(outcome.error).toContain('more than 100000 data elements and items');
  });

  it('the largest SR within the item limit is still read in 256 MB of heap', async () => {
    const outcome = await readHostile('manyContainers', 49_000);
    expect(outcome.code).toBe('INCOMPLETE_REPORT');
  });

  it('an export of 63 text values of 1 MiB each, all within the limits, is read in 256 MB of heap', async () => {
    const outcome = await readHostile('manyLongTexts', 63);
    expect(outcome.bytes).toBeGreaterThan(63 * 1024 ** 2);
    expect(outcome.ok).toBe(true);
  });

  it('100,000 nested containers are refused by depth, without recursing into them', async () => {
    const outcome = await readHostile('deepNesting', 100_000);
    expect(outcome.code).toBe('LIMIT_EXCEEDED');
    expect(outcome.error).toContain('nested deeper than 68 levels');
  });

  it('a value within the limits but long is quoted with at most 200 of its characters', () => {
    const failure = readBad(hugeXmlNumber(500_000));
    expect(failure.code).toBe('XML_MISMATCH');
    expect(failure.error).toContain(`'${'9'.repeat(200)}…' (500000 characters)`);
    expect(failure.error.length).toBeLessThan(500);
  });

  it('every limit is configurable', () => {
    const bytes = instanceBytes(fixtureStudy('01'), 0);
    expect(readExportBytes(bytes, 'x').ok).toBe(true);
    const code = (limits: Partial<ReadLimits>) => {
      const outcome = readExportBytes(bytes, 'x', withLimits(limits));
      return outcome.ok ? 'read' : outcome.failure.code;
    };
    expect(code({ maxFileBytes: bytes.length - 1 })).toBe('LIMIT_EXCEEDED');
    expect(code({ maxElementBytes: 1024 })).toBe('LIMIT_EXCEEDED');
    expect(code({ maxTextBytes: 1024 })).toBe('LIMIT_EXCEEDED');
    expect(code({ maxItems: 500 })).toBe('LIMIT_EXCEEDED');
    expect(code({ maxSrDepth: 2 })).toBe('LIMIT_EXCEEDED');
    expect(code({ maxSrDepth: 4 })).toBe('read');
  });

  it('a file over the size limit is not even read into memory', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dexa-limits-'));
    try {
      const file = join(folder, 'big.dcm');
      await writeFile(file, instanceBytes(fixtureStudy('01'), 0));
      const outcome = await readExportFile(file, withLimits({ maxFileBytes: 2048 }));
      expect(outcome.ok ? null : outcome.failure).toMatchObject({ code: 'LIMIT_EXCEEDED', error: expect.stringContaining('more than the limit of 2048') });
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it('the department configuration carries the limits, and the documented example shows the defaults', async () => {
    expect(DEFAULT_CONFIG.limits).toEqual(DEFAULT_READ_LIMITS);
    const { config } = await loadConfig(new URL('../../docs/config.example.yaml', import.meta.url).pathname);
    expect(config.limits).toEqual(DEFAULT_READ_LIMITS);
  });
});
