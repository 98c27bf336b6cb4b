import { createServer, type Server, type Socket } from 'node:net';
import type { Hl7Message } from '@medplum/core';
import { Hl7Connection, type Hl7MessageEvent } from '@medplum/hl7';

/** What the listener does with the n-th message it gets (1-based): answer with an ACK code, or stay silent. */
export type Answer = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR' | 'silent';

export interface MllpListener {
  port: number;
  /** every message received, in order, as parsed and as text */
  received: { message: Hl7Message; text: string; answered: Answer }[];
  stop(): Promise<void>;
}

/**
 * An HL7 v2 receiver on loopback: @medplum/hl7's own connection (MLLP framing and parsing, as its
 * Hl7Server uses it) on a node:net server bound to 127.0.0.1, which Hl7Server cannot be.
 */
export async function startMllpListener(port: number, answer: (n: number, message: Hl7Message) => Answer = () => 'AA'): Promise<MllpListener> {
  const received: MllpListener['received'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = new Hl7Connection(socket);
    connection.addEventListener('message', (event: Hl7MessageEvent) => {
      const what = answer(received.length + 1, event.message);
      received.push({ message: event.message, text: event.message.toString(), answered: what });
      if (what !== 'silent') connection.send(event.message.buildAck({ ackCode: what }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
