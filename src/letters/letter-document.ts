/** A letter as content, before any layout: what the PDF renderer draws, and what a test can read. */
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; bold?: boolean }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; columns: TableColumn[]; rows: TableRow[]; note: string | null }
  | { kind: 'signature'; closing: string; lines: string[] }
  /** a drawing (pictures/*.ts) as SVG in PDF points, placed as vector graphics; `alt` says what it shows */
  | { kind: 'picture'; name: 'scoreScale' | 'bmdTrend'; svg: string; width: number; height: number; alt: string };

export interface TableColumn {
  title: string;
  align: 'left' | 'right';
  /** share of the text width */
  width: number;
}

export interface TableRow {
  cells: string[];
  emphasis: boolean;
}

export type LetterKind = 'gp' | 'patient';

export interface LetterDocument {
  kind: LetterKind;
  title: string;
  /** lines at the top right: hospital, department, address, phone */
  sender: string[];
  logo: string | null;
  /** the address block at the top left: the GP, or the patient at the exported address; empty for none */
  addressee: string[];
  dateLine: string;
  /** under the date: accession number and study date */
  reference: string;
  /** at the top of every page after the first: whose letter it is */
  continuation: string;
  subject: string;
  blocks: Block[];
  /** shown on every page of a letter held for review */
  draftBanner: string | null;
  /** the large diagonal word across every page of a held letter */
  watermark: string | null;
  pageLabel: (page: number, pages: number) => string;
  author: string;
}
