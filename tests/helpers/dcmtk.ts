import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where DCMTK's tools are: Debian's dcmtk package, or DEXA_DCMTK_BIN. */
export const DCMTK_BIN = process.env['DEXA_DCMTK_BIN'] ?? '/usr/bin';

/** The one line a skipped DICOM network test prints. */
export const DCMTK_SKIP_NOTE = `DICOM network tests skipped: no storescu in ${DCMTK_BIN}; install DCMTK (apt-get install -y dcmtk) or set DEXA_DCMTK_BIN to run them; .ci/run installs it and requires them (DEXA_REQUIRE_DCMTK=1)`;

/** Whether DCMTK's peers are here; where they are not and CI requires them, that is a failure. */
export function dcmtkAvailable(): boolean {
  if (existsSync(join(DCMTK_BIN, 'storescu')) && existsSync(join(DCMTK_BIN, 'echoscu'))) return true;
  if (process.env['DEXA_REQUIRE_DCMTK']) throw new Error(`DEXA_REQUIRE_DCMTK is set but there is no storescu and echoscu in ${DCMTK_BIN}`);
  console.log(DCMTK_SKIP_NOTE);
  return false;
}

export interface ToolRun {
  code: number | null;
  /** stdout and stderr together, as DCMTK writes its log to both */
  output: string;
  ms: number;
}

/**
 * Runs a DCMTK tool to its end. Debian's DCMTK leaves Nagle's algorithm on unless TCP_NODELAY=1
 * is set: then each object waits ~40 ms for the receiver's delayed ACK (with DCMTK's own storescp
 * as much as with this receiver). The tests set it, as a site's router would be configured.
 */
export function dcmtk(tool: 'storescu' | 'echoscu', args: string[], onOutput?: (text: string) => void): { done: Promise<ToolRun>; pid: number | undefined } {
  const started = performance.now();
  const child = spawn(join(DCMTK_BIN, tool), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TCP_NODELAY: process.env['TCP_NODELAY'] ?? '1' } });
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    onOutput?.(output);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const done = new Promise<ToolRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, ms: performance.now() - started }));
  });
  return { done, pid: child.pid };
}

/** `echoscu` from `callingAe` to `calledAe`. */
export function echo(port: number, callingAe: string, calledAe: string): Promise<ToolRun> {
  return dcmtk('echoscu', ['-aet', callingAe, '-aec', calledAe, '127.0.0.1', String(port)]).done;
}

/**
 * `storescu` of `files` in one association; `syntax` as storescu's option (-xe: explicit little
 * endian first, -xi: implicit only). -R proposes only the SOP classes the files need.
 */
export function store(port: number, files: string[], options: { syntax?: '-xe' | '-xi'; callingAe?: string; calledAe?: string; extra?: string[] } = {}): Promise<ToolRun> {
  return dcmtk('storescu', ['-R', options.syntax ?? '-xe', '-aet', options.callingAe ?? 'STORESCU', '-aec', options.calledAe ?? 'DEXA', ...(options.extra ?? []), '127.0.0.1', String(port), ...files]).done;
}

/** The files storescu -v reports Success for: each `Sending file:` followed by a Success response. */
export function acknowledgedFiles(verboseOutput: string): string[] {
  const acknowledged: string[] = [];
  let current: string | null = null;
  for (const line of verboseOutput.split('\n')) {
    const sending = /Sending file: (.+)$/.exec(line);
    if (sending) current = sending[1]!.trim();
    else if (/Received Store Response \(Success\)/.test(line) && current !== null) {
      acknowledged.push(current);
      current = null;
    }
  }
  return acknowledged;
}
