import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import dimse from 'dcmjs-dimse';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

/** The one line the PACS tests print when they cannot run. */
export const DCMTK_SKIP_NOTE = 'PACS tests skipped: no DCMTK storescp; install it (apt-get install -y dcmtk) to run them; .ci/run installs it and requires them (DEXA_REQUIRE_DCMTK=1)';

/** Whether DCMTK's storescp is here; where it is not and CI requires it, that is a failure. */
export function storescpAvailable(): boolean {
  if (spawnSync('storescp', ['--version'], { stdio: 'ignore' }).status === 0) return true;
  if (process.env['DEXA_REQUIRE_DCMTK']) throw new Error('DEXA_REQUIRE_DCMTK is set but there is no storescp (DCMTK) on the PATH');
  console.log(DCMTK_SKIP_NOTE);
  return false;
}

/** dcmjs-dimse reports refused connections on the console; the tests cause them on purpose. */
export function quietDimse(): void {
  dimse.log.setLevel('silent');
}

/** A TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Storescp {
  port: number;
  folder: string;
  stop(): Promise<void>;
}

/**
 * DCMTK's storescp as the PACS: AE title PACS, every object in `folder` under a file name of
 * its own (+uf), so an object stored twice is two files.
 */
export async function startStorescp(folder: string, port: number, extra: string[] = []): Promise<Storescp> {
  const child: ChildProcess = spawn('storescp', ['-aet', 'PACS', '-od', folder, '+uf', '-dhl', ...extra, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`storescp ended: ${stderr}`);
    if (await listening(port)) break;
    if (tries > 100) throw new Error(`storescp does not listen on ${port}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    folder,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Received {
  file: string;
  bytes: Uint8Array;
  dataset: Record<string, unknown>;
}

/** Every object storescp wrote into its folder. */
export async function receivedObjects(folder: string): Promise<Received[]> {
  const files = (await readdir(folder)).filter((name) => !name.startsWith('.')).sort();
  return Promise.all(
    files.map(async (name) => {
      const bytes = new Uint8Array(await readFile(join(folder, name)));
      const dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.slice().buffer).dict) as Record<string, unknown>;
      return { file: join(folder, name), bytes, dataset };
    }),
  );
}

/** The letter inside an Encapsulated PDF: Encapsulated Document Length bytes of the (even-padded) document. */
export function encapsulatedDocument(dataset: Record<string, unknown>): { document: Uint8Array; padding: Uint8Array } {
  const value = new Uint8Array((dataset['EncapsulatedDocument'] as ArrayBuffer[])[0] as ArrayBuffer);
  const length = dataset['EncapsulatedDocumentLength'] as number;
  return { document: value.subarray(0, length), padding: value.subarray(length) };
}
