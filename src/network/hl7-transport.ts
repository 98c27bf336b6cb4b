/**
 * HL7 v2 over MLLP (@medplum/hl7's client): one ORU^R01 per released version, one connection per
 * try. A try succeeds only on an ACK whose MSA-1 is AA (or CA, a commit accept in enhanced mode)
 * for this message's control ID; AE, AR, CE or CR, no ACK within the timeout, a refused or lost
 * connection: the try fails and the outbox tries again later. Every try sends the same message
 * (the control ID is made from the study, version and destination, MSH-7 is the release time),
 * so a receiver that took it before can tell the resend for what it is.
 */
import type { Hl7Message } from '@medplum/core';
import { Hl7Client, ReturnAckCategory } from '@medplum/hl7';
import type { Hl7Destination } from '../config/config-schema.ts';
import { buildOru } from '../results/hl7-oru.ts';
import type { ResultInput } from '../results/result-input.ts';

/** An HL7 receiver as the configuration names it. */
export interface Hl7Node {
  host: string;
  port: number;
  timeoutSeconds: number;
}

const ACCEPTED = new Set(['AA', 'CA']);

/** How a receiver's answer reads: MSA-1, and the text of MSA-3 and the ERR segments (ERR-3 text, ERR-8 user message). */
export function ackOf(ack: Hl7Message): { code: string; controlId: string; text: string } {
  const msa = ack.getSegment('MSA');
  const code = msa?.getField(1)?.toString().trim().toUpperCase() ?? '';
  const controlId = msa?.getField(2)?.toString() ?? '';
  const texts = [msa?.getField(3)?.toString() ?? '', ...ack.getAllSegments('ERR').flatMap((err) => [err.getComponent(3, 2), err.getField(8)?.toString() ?? ''])];
  const text = [...new Set(texts.map((t) => t.replace(/[\u0000-\u001f]+/g, ' ').trim()).filter((t) => t !== ''))].join('; ').slice(0, 300);
  return { code, controlId, text };
}

/** Sends the message and waits for its ACK; resolves with MSA-1 when it was accepted, throws otherwise. */
export async function sendOverMllp(node: Hl7Node, message: Hl7Message): Promise<string> {
  const where = `HL7 ${node.host}:${node.port}`;
  const controlId = message.getSegment('MSH')?.getField(10)?.toString() ?? '';
  const timeoutMs = Math.round(node.timeoutSeconds * 1000);
  const client = new Hl7Client({ host: node.host, port: node.port, connectTimeout: timeoutMs });
  let ack: Hl7Message;
  try {
    // a receiver that closes the connection without answering ends the try at once, not after the timeout
    const closed = new Promise<never>((_resolve, reject) => client.addEventListener('close', () => reject(new Error('the receiver closed the connection without an ACK'))));
    closed.catch(() => undefined);
    ack = await Promise.race([client.sendAndWait(message, { returnAck: ReturnAckCategory.FIRST, timeoutMs }), closed]);
  } catch (error) {
    throw new Error(`${where}: ${reasonOf(error, node.timeoutSeconds)}`, { cause: error });
  } finally {
    await client.close().catch(() => undefined);
  }
  const answer = ackOf(ack);
  if (answer.controlId !== controlId) throw new Error(`${where}: the ACK names message ${answer.controlId || '(none)'}, not ${controlId}`);
  if (!ACCEPTED.has(answer.code)) throw new Error(`${where}: message ${controlId} answered ${answer.code || '(no MSA-1)'}${answer.text ? ` (${answer.text})` : ''}`);
  return answer.code;
}

function reasonOf(error: unknown, timeoutSeconds: number): string {
  const outcome = (error as { outcome?: { issue?: { code?: string }[] } } | null)?.outcome;
  if (outcome?.issue?.some((issue) => issue.code === 'timeout')) return `no ACK within ${timeoutSeconds} s`;
  const message = (error instanceof Error && error.message) || String(error);
  if (/^Connection timeout/.test(message)) return `no connection within ${timeoutSeconds} s`;
  return message;
}

/** The HL7 transport: a released version's ORU^R01 to the destination; `at` (MSH-7) the release time, the same on every try. */
export async function deliverOverHl7(destination: Hl7Destination, input: ResultInput, at: Date): Promise<string> {
  const message = buildOru(input, { destination: destination.name, at });
  const controlId = message.getSegment('MSH')?.getField(10)?.toString() ?? '';
  const code = await sendOverMllp(destination, message);
  return `HL7 ${destination.host}:${destination.port} (message ${controlId}, ${code})`;
}
