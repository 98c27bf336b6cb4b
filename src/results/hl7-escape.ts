/**
 * HL7 v2 escape sequences (v2.5 chapter 2.7) for the default delimiters `|^~\&`: every value from
 * a patient, a header or a letter goes through `escapeHl7` before it is placed in a component, so
 * no name can end a field, start a segment or open a repetition. @medplum/core's Hl7Message splits
 * and joins on the delimiters but neither escapes nor unescapes; this does both.
 *
 * Line breaks: in formatted text (FT) a line break is `\.br\`; in any other type, where HL7 has
 * no line, a CR or LF is written as its hexadecimal escape (`\X0D\`, `\X0A\`). Every other
 * control character is written the same way, so a message is one line per segment whatever a
 * name contains.
 */
const ESCAPES: Record<string, string> = { '\\': '\\E\\', '|': '\\F\\', '^': '\\S\\', '&': '\\T\\', '~': '\\R\\' };

const hex = (char: string) => `\\X${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}\\`;

/** A value for any component or subcomponent: delimiters and control characters escaped. */
export function escapeHl7(value: string): string {
  return value.replace(/[\\|^&~\u0000-\u001f\u007f]/g, (char) => ESCAPES[char] ?? hex(char));
}

/** Formatted text (FT): lines joined by `\.br\`, each line escaped. */
export function escapeHl7Text(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(escapeHl7)
    .join('\\.br\\');
}

/** The value an escaped component stands for: the inverse of both escapes above. */
export function unescapeHl7(value: string): string {
  return value.replace(/\\(E|F|S|T|R|\.br|X(?:[0-9A-Fa-f]{2})+)\\/g, (_, sequence: string) => {
    switch (sequence) {
      case 'E':
        return '\\';
      case 'F':
        return '|';
      case 'S':
        return '^';
      case 'T':
        return '&';
      case 'R':
        return '~';
      case '.br':
        return '\n';
      default:
        return (sequence.slice(1).match(/../g) ?? []).map((pair) => String.fromCharCode(Number.parseInt(pair, 16))).join('');
    }
  });
}

/** A component from its subcomponents, each escaped. */
export function subcomponents(...parts: string[]): string {
  return trimEmpty(parts.map(escapeHl7)).join('&');
}

/** A field from components already escaped (or built by `subcomponents`), trailing empty ones left off. */
export function components(...parts: string[]): string {
  return trimEmpty(parts).join('^');
}

function trimEmpty(parts: string[]): string[] {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end -= 1;
  return parts.slice(0, end);
}
