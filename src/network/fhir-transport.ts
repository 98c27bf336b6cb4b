/**
 * FHIR R4 over HTTP: one transaction Bundle per released version, POSTed to the server's base URL
 * (Node's fetch, AbortSignal.timeout). Delivered when the server answers 2xx with a
 * transaction-response Bundle; any other answer, no answer in time, or no connection: the try
 * fails with the status and the OperationOutcome's text, and the outbox tries again later. Every
 * try sends the same bundle (its identifiers and fullUrls are made from the study and version, its
 * issued time is the release's): the conditional creates make a retry create nothing twice.
 */
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import type { FhirDestination } from '../config/config-schema.ts';
import { buildResultBundle } from '../results/fhir-bundle.ts';
import { validateResultBundle } from '../results/fhir-validate.ts';
import type { ResultInput } from '../results/result-input.ts';

const FHIR_JSON = 'application/fhir+json';

/** The token to send: from the file, or from the environment variable it names (read at every try); none when neither is given. */
export function bearerTokenOf(destination: Pick<FhirDestination, 'name' | 'bearerToken' | 'bearerTokenEnv'>, env: NodeJS.ProcessEnv = process.env): string | null {
  if (destination.bearerTokenEnv !== undefined) {
    const token = env[destination.bearerTokenEnv]?.trim();
    if (!token) throw new Error(`FHIR destination ${destination.name}: the environment variable ${destination.bearerTokenEnv} holds no bearer token`);
    return token;
  }
  return destination.bearerToken ?? null;
}

/** An OperationOutcome's issues in a line: details text, else diagnostics, else the code; at most 300 characters. */
export function outcomeText(body: unknown): string {
  if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== 'OperationOutcome') return '';
  const issues = (body as OperationOutcome).issue ?? [];
  const texts = issues.map((issue) => `${issue.severity ?? 'error'}: ${issue.details?.text ?? issue.diagnostics ?? issue.code ?? ''}`.trim());
  return texts.join('; ').replace(/[\u0000-\u001f]+/g, ' ').slice(0, 300);
}

/** POSTs the transaction; resolves with what the server said when it took it, throws otherwise. */
export async function postTransaction(destination: Pick<FhirDestination, 'name' | 'baseUrl' | 'bearerToken' | 'bearerTokenEnv' | 'timeoutSeconds'>, bundle: Bundle): Promise<string> {
  validateResultBundle(bundle);
  const where = `FHIR ${destination.baseUrl}`;
  const token = bearerTokenOf(destination);
  let response: Response;
  let text: string;
  try {
    response = await fetch(destination.baseUrl, {
      method: 'POST',
      headers: { 'Content-Type': FHIR_JSON, Accept: FHIR_JSON, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
      body: JSON.stringify(bundle),
      redirect: 'error',
      signal: AbortSignal.timeout(Math.round(destination.timeoutSeconds * 1000)),
    });
    text = await response.text();
  } catch (error) {
    throw new Error(`${where}: ${reasonOf(error, destination.timeoutSeconds)}`, { cause: error });
  }
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: said below
  }
  if (!response.ok) {
    const outcome = outcomeText(body);
    throw new Error(`${where}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${outcome ? ` (${outcome})` : ''}`);
  }
  const answer = body as { resourceType?: unknown; type?: unknown } | null;
  if (answer?.resourceType !== 'Bundle' || answer.type !== 'transaction-response') {
    throw new Error(`${where}: HTTP ${response.status} but no transaction-response Bundle in the answer${answer === null ? '' : ` (got ${String(answer.resourceType)}${answer.type === undefined ? '' : ` of type ${String(answer.type)}`})`}`);
  }
  return `HTTP ${response.status}`;
}

function reasonOf(error: unknown, timeoutSeconds: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutSeconds} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const message = (error instanceof Error && error.message) || String(error);
  return cause?.message ? `${message}: ${cause.message}` : message;
}

/** The FHIR transport: a released version's transaction Bundle to the destination; `at` (issued) the release time, the same on every try. */
export async function deliverOverFhir(destination: FhirDestination, input: ResultInput, at: Date): Promise<string> {
  const bundle = buildResultBundle(input, { at });
  const status = await postTransaction(destination, bundle);
  return `FHIR ${destination.baseUrl} (${status})`;
}
