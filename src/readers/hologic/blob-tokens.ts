import { BlobFault, HologicBlobError } from './blob-error.ts';

/** Real blobs are 5–12 kB with a few hundred lines and tables of at most a dozen rows. */
export interface BlobLimits {
  maxChars: number;
  maxLines: number;
  /** the largest index a `Name[ i][ j]` line may carry */
  maxIndex: number;
}

export const DEFAULT_BLOB_LIMITS: BlobLimits = { maxChars: 256 * 1024, maxLines: 10_000, maxIndex: 200 };

/** `Name = "value";` (indices empty) or `Name[ i][ j] = "value";`. */
export interface BlobAssignment {
  name: string;
  indices: readonly number[];
  /** the text between the quotes, unchanged; a bare number when the line has no quotes */
  value: string;
  line: number;
}

/** One `<JavaScriptFile, filetype=N, filename="…\Name.js">` section. */
export interface BlobSection {
  fileType: number;
  /** the file's base name without `.js`: `PatInfo`, `ScanInfo`, `Results`, `Graph`, `Fracture` … */
  name: string;
  line: number;
  assignments: readonly BlobAssignment[];
}

export interface BlobTokens {
  /** the `<HologicHeader1>…</HologicHeader1>` text before the first section, not interpreted */
  header: string;
  sections: readonly BlobSection[];
}

const SECTION_START = /^<JavaScriptFile,\s*filetype=(\d+),\s*filename="([^"]*)">$/;
const SECTION_END = /^<\/JavaScriptFile>$/;
// Values are kept verbatim: the quotes are the first after `=` and the last before the final `;`.
const ASSIGNMENT = /^([A-Za-z_]\w*)((?:\[\s*\d+\s*\])*)\s*=\s*(?:"(.*)"|(-?\d+(?:\.\d+)?))\s*;$/;
const INDEX = /\[\s*(\d+)\s*\]/g;

/** Splits a decoded blob into its sections and assignments; anything it does not recognise is an error naming the line. */
export function tokenizeBlob(text: string, limits: BlobLimits = DEFAULT_BLOB_LIMITS): BlobTokens {
  if (text.length > limits.maxChars) {
    throw new HologicBlobError(BlobFault.TOO_LARGE, `${text.length} characters, more than the limit of ${limits.maxChars}`);
  }
  // DICOM pads values to an even length with a NUL or a space; that padding is not a cut-off line.
  const lines = text.replace(/[\0 ]+$/, '').split(/\r?\n/);
  if (lines.length > limits.maxLines) {
    throw new HologicBlobError(BlobFault.TOO_LARGE, `${lines.length} lines, more than the limit of ${limits.maxLines}`);
  }
  const headerLines: string[] = [];
  const sections: BlobSection[] = [];
  let open: { fileType: number; name: string; line: number; assignments: BlobAssignment[]; seen: Map<string, number> } | null = null;
  const close = (): void => {
    if (open) sections.push({ fileType: open.fileType, name: open.name, line: open.line, assignments: open.assignments });
    open = null;
  };

  lines.forEach((raw, position) => {
    const line = position + 1;
    const content = raw.trim();
    const start = SECTION_START.exec(content);
    if (start) {
      close();
      const fileType = Number(start[1]);
      const name = sectionName(start[2] ?? '', line);
      const earlier = sections.find((section) => section.fileType === fileType || section.name === name);
      if (earlier) {
        throw new HologicBlobError(BlobFault.DUPLICATE_SECTION, `section ${name} (filetype ${fileType}) appears again; first on line ${earlier.line}`, line);
      }
      open = { fileType, name, line, assignments: [], seen: new Map() };
      return;
    }
    if (open === null) {
      if (sections.length > 0 && content !== '') {
        throw new HologicBlobError(BlobFault.MALFORMED_LINE, `text outside any JavaScriptFile section: ${quoteStart(content)}`, line);
      }
      headerLines.push(raw);
      return;
    }
    if (SECTION_END.test(content)) {
      close();
      return;
    }
    if (content === '') return;
    const assignment = ASSIGNMENT.exec(content);
    if (!assignment) {
      const isLast = position === lines.length - 1;
      if (isLast) throw new HologicBlobError(BlobFault.CUT_OFF_LINE, `the blob ends inside a line: ${quoteStart(content)}`, line);
      throw new HologicBlobError(BlobFault.MALFORMED_LINE, `not a JavaScript assignment: ${quoteStart(content)}`, line);
    }
    const name = assignment[1] ?? '';
    const indices = indicesOf(assignment[2] ?? '', limits, line);
    const key = indices.length === 0 ? name : `${name}${indices.map((index) => `[${index}]`).join('')}`;
    const first = open.seen.get(key);
    if (first !== undefined) {
      throw new HologicBlobError(BlobFault.DUPLICATE_ASSIGNMENT, `${key} in section ${open.name} is assigned again; first on line ${first}`, line);
    }
    open.seen.set(key, line);
    open.assignments.push({ name, indices, value: assignment[3] ?? assignment[4] ?? '', line });
  });
  close();

  if (sections.length === 0) throw new HologicBlobError(BlobFault.MISSING_VALUE, 'no JavaScriptFile section in the blob');
  return { header: headerLines.join('\n').trim(), sections };
}

/** `C:\QDR\qdrdicom\html2\PatInfo.js` → `PatInfo` */
function sectionName(fileName: string, line: number): string {
  const match = /([A-Za-z]\w*)\.js$/i.exec(fileName);
  if (!match?.[1]) throw new HologicBlobError(BlobFault.MALFORMED_LINE, `section file name ${JSON.stringify(fileName)} is not a .js file`, line);
  return match[1];
}

function indicesOf(text: string, limits: BlobLimits, line: number): number[] {
  // most assignments are scalars
  if (text === '') return [];
  const indices = [...text.matchAll(INDEX)].map((match) => Number(match[1]));
  if (indices.length > 2) throw new HologicBlobError(BlobFault.MALFORMED_LINE, `${indices.length} indices; a blob uses at most two`, line);
  const tooLarge = indices.find((index) => index > limits.maxIndex);
  if (tooLarge !== undefined) {
    throw new HologicBlobError(BlobFault.TOO_LARGE, `index ${tooLarge} is larger than the limit of ${limits.maxIndex}`, line);
  }
  return indices;
}

function quoteStart(content: string): string {
  return JSON.stringify(content.length > 60 ? `${content.slice(0, 60)}…` : content);
}

/** The sections by name, and the assignments of one section by name, for the readers of each section. */
export function findSection(tokens: BlobTokens, name: string): BlobSection | null {
  return tokens.sections.find((section) => section.name === name) ?? null;
}

export function requireSection(tokens: BlobTokens, name: string): BlobSection {
  const section = findSection(tokens, name);
  if (!section) throw new HologicBlobError(BlobFault.MISSING_VALUE, `no ${name} section`);
  return section;
}

/** A scalar (`Name = "value";`) of the section, or null when the section does not assign it. */
export function scalar(section: BlobSection, name: string): BlobAssignment | null {
  return section.assignments.find((assignment) => assignment.name === name && assignment.indices.length === 0) ?? null;
}

export function requireScalar(section: BlobSection, name: string): BlobAssignment {
  const found = scalar(section, name);
  if (!found) throw new HologicBlobError(BlobFault.MISSING_VALUE, `${section.name} has no ${name}`, section.line);
  return found;
}
