/** Verification (C-ECHO). */
export const VERIFICATION = '1.2.840.10008.1.1';

/**
 * What the receiver takes: Verification, the structured reports the readers read (GE's Enhanced
 * and Comprehensive SR, this program's DXA SR profile, Basic Text SR), Hologic's Secondary
 * Capture, and the images and documents scanners send alongside (CR, DX, the other Secondary
 * Capture classes, encapsulated PDF), so that a sender sees no errors. The watcher archives what
 * it does not read.
 */
export const ACCEPTED_SOP_CLASSES: ReadonlyMap<string, string> = new Map([
  [VERIFICATION, 'Verification'],
  ['1.2.840.10008.5.1.4.1.1.88.11', 'Basic Text SR'],
  ['1.2.840.10008.5.1.4.1.1.88.22', 'Enhanced SR'],
  ['1.2.840.10008.5.1.4.1.1.88.33', 'Comprehensive SR'],
  ['1.2.840.10008.5.1.4.1.1.88.34', 'Comprehensive 3D SR'],
  ['1.2.840.10008.5.1.4.1.1.88.35', 'Extensible SR'],
  ['1.2.840.10008.5.1.4.1.1.7', 'Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.1', 'Multi-frame Single Bit Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.2', 'Multi-frame Grayscale Byte Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.3', 'Multi-frame Grayscale Word Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.4', 'Multi-frame True Color Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.1', 'Computed Radiography Image'],
  ['1.2.840.10008.5.1.4.1.1.1.1', 'Digital X-Ray Image - For Presentation'],
  ['1.2.840.10008.5.1.4.1.1.1.1.1', 'Digital X-Ray Image - For Processing'],
  ['1.2.840.10008.5.1.4.1.1.104.1', 'Encapsulated PDF'],
]);

const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';
const IMPLICIT_LITTLE = '1.2.840.10008.1.2';

/**
 * The transfer syntax to accept for a proposed presentation context, or why it is refused. The
 * bytes are kept as they come (never transcoded), so any proposed syntax will do: explicit little
 * endian when offered, else implicit, else the sender's first. Verification needs implicit.
 */
export function acceptedSyntax(abstractSyntax: string, transferSyntaxes: readonly string[]): string | 'abstract' | 'transfer' {
  if (!ACCEPTED_SOP_CLASSES.has(abstractSyntax)) return 'abstract';
  const proposed = transferSyntaxes.filter((uid) => /^[0-9.]{1,64}$/.test(uid));
  if (abstractSyntax === VERIFICATION) return proposed.includes(IMPLICIT_LITTLE) ? IMPLICIT_LITTLE : (proposed[0] ?? 'transfer');
  if (proposed.includes(EXPLICIT_LITTLE)) return EXPLICIT_LITTLE;
  if (proposed.includes(IMPLICIT_LITTLE)) return IMPLICIT_LITTLE;
  return proposed[0] ?? 'transfer';
}

/** A caller the receiver answers: an AE title, from any address or only from those given. */
export interface CallerRule {
  aeTitle: string;
  addresses: readonly string[] | null;
}

export function callerRules(configured: readonly (string | { aeTitle: string; addresses: readonly string[] | null })[]): CallerRule[] {
  return configured.map((entry) => (typeof entry === 'string' ? { aeTitle: entry, addresses: null } : { aeTitle: entry.aeTitle, addresses: entry.addresses }));
}

/** AE titles are compared exactly (as sent, without padding); an address exactly as written. */
export function callerAllowed(rules: readonly CallerRule[], callingAe: string, address: string): boolean {
  return rules.some((rule) => rule.aeTitle === callingAe && (rule.addresses === null || rule.addresses.includes(address)));
}
