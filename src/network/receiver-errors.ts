/** The receiver cannot start: its port is taken, its address is not this machine's, its TLS files cannot be read. */
export class ReceiverStartError extends Error {
  override readonly name = 'ReceiverStartError';
}
