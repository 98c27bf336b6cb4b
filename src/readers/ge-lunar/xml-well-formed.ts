import { quoteInput } from '../../model/quote-input.ts';

/**
 * What makes `xml` not well-formed, or null: tags that do not pair up by name, an unclosed tag,
 * comment or section, a bad tag or attribute name, an attribute without a quoted value or given
 * twice, text or a second element outside the root. fast-xml-parser without its validator reads
 * such XML without a word (it takes `</B>` for the close of `<A>`, drops an unquoted attribute and
 * keeps the last of two), and its validator is a second full pass that costs more than this one.
 * Entities and character data are left to the parser.
 */
export function xmlWellFormedFault(xml: string): string | null {
  const open: string[] = [];
  let rootSeen = false;
  let position = 0;
  for (;;) {
    const start = xml.indexOf('<', position);
    if (open.length === 0 && hasText(xml, position, start < 0 ? xml.length : start)) return 'text outside the root element';
    if (start < 0) break;
    if (xml.startsWith('<?', start)) {
      position = after(xml, '?>', start);
    } else if (xml.startsWith('<!--', start)) {
      position = after(xml, '-->', start);
    } else if (xml.startsWith('<![CDATA[', start)) {
      if (open.length === 0) return 'a CDATA section outside the root element';
      position = after(xml, ']]>', start);
    } else if (xml.startsWith('<!', start)) {
      return 'a declaration inside the document';
    } else if (xml.startsWith('</', start)) {
      const end = xml.indexOf('>', start);
      if (end < 0) return 'a closing tag that does not end';
      const name = xml.slice(start + 2, end).trim();
      const expected = open.pop();
      if (name !== expected) {
        return expected === undefined ? `${quoteInput(`</${name}>`)} closes no element` : `element ${quoteInput(expected)} is closed by ${quoteInput(`</${name}>`)}`;
      }
      position = end + 1;
    } else {
      const end = tagEnd(xml, start);
      if (end < 0) return 'a tag that does not end';
      const selfClosing = xml.charCodeAt(end - 1) === 0x2f;
      const nameEnd = nameEndAt(xml, start + 1);
      if (!isName(xml, start + 1, nameEnd)) return `a tag named ${quoteInput(xml.slice(start + 1, end))}`;
      const name = xml.slice(start + 1, nameEnd);
      const fault = attributesFault(xml, nameEnd, selfClosing ? end - 1 : end, name);
      if (fault !== null) return fault;
      if (open.length === 0 && rootSeen) return `a second root element ${quoteInput(name)}`;
      rootSeen = true;
      if (!selfClosing) open.push(name);
      position = end + 1;
    }
    if (position < 0) return 'a comment, declaration or CDATA section that does not end';
  }
  if (open.length > 0) return `element ${quoteInput(open[open.length - 1] as string)} is not closed`;
  return rootSeen ? null : 'no root element';
}

/** The attributes of a tag, from `from` to `to`: each `name="value"` or `name='value'`, after white space, once. */
function attributesFault(xml: string, from: number, to: number, tag: string): string | null {
  const notPairs = (): string => `the attributes of element ${quoteInput(tag)} are not name="value" pairs`;
  const names: string[] = [];
  let i = from;
  for (;;) {
    const nameStart = skipSpace(xml, i, to);
    if (nameStart >= to) return null;
    if (nameStart === i) return notPairs();
    const nameEnd = Math.min(nameEndAt(xml, nameStart), to);
    const equals = skipSpace(xml, nameEnd, to);
    const valueStart = skipSpace(xml, equals + 1, to);
    const quote = xml.charAt(valueStart);
    if (!isName(xml, nameStart, nameEnd) || xml.charAt(equals) !== '=' || valueStart >= to || (quote !== '"' && quote !== "'")) return notPairs();
    const valueEnd = xml.indexOf(quote, valueStart + 1);
    if (valueEnd < 0 || valueEnd >= to || xml.slice(valueStart + 1, valueEnd).includes('<')) return notPairs();
    const name = xml.slice(nameStart, nameEnd);
    if (names.includes(name)) return `attribute ${quoteInput(name)} is given twice in element ${quoteInput(tag)}`;
    names.push(name);
    i = valueEnd + 1;
  }
}

/** Where a name that starts at `from` ends: at white space, `=`, `/`, `>` or the end. */
function nameEndAt(xml: string, from: number): number {
  let i = from;
  while (i < xml.length) {
    const c = xml.charCodeAt(i);
    if (isSpace(c) || c === 0x3d || c === 0x2f || c === 0x3e) break;
    i++;
  }
  return i;
}

function skipSpace(xml: string, from: number, to: number): number {
  let i = from;
  while (i < to && isSpace(xml.charCodeAt(i))) i++;
  return i;
}

/** An XML name of ASCII characters: a letter, `_` or `:`, then those, digits, `-` or `.`. */
function isName(xml: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
    if (!letter && (i === from || !((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e))) return false;
  }
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The `>` that ends the tag at `start`, past any `>` inside a quoted attribute value; -1 when none. */
function tagEnd(xml: string, start: number): number {
  let quote = 0;
  for (let i = start + 1; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return i;
    }
  }
  return -1;
}

/** The position after `terminator` from `start`; -1 when it never comes. */
function after(xml: string, terminator: string, start: number): number {
  const at = xml.indexOf(terminator, start + 2);
  return at < 0 ? -1 : at + terminator.length;
}

function hasText(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}
