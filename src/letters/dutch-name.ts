/**
 * Dutch personal names from a DICOM PN (`Family^Given^Middle^Prefix^Suffix`), written by Dutch
 * convention (Taalunie, BRP naamgebruik):
 *
 * - the tussenvoegsel (voorvoegsel: van, de, van den, 't, …) is written lower-case after
 *   initials, "mevrouw A. van den Berg", and with a capital when nothing precedes it,
 *   "Geachte heer Van den Berg";
 * - in a double (partner) name only the first tussenvoegsel can take that capital:
 *   "mevrouw De Vries-van Dijk";
 * - capitals are normalised to Dutch title case only when a part of the name was exported in
 *   capitals (`VAN DEN BERG^JAN`); a name written in mixed case keeps its spelling.
 *
 * Where Dutch exports put the tussenvoegsel: in the family component (`van den Berg^Jan`), in the
 * prefix component (`Berg^Jan^^van den`), in the middle component (`Berg^Jan^van den`), after a
 * comma (`Berg, van den^Jan`), or after the given names (`Berg^Jan van den`). The prefix component
 * may instead hold a title (`dr.`), which is kept apart and not printed.
 *
 * Partner names: the RIS composes PatientName by the patient's naamgebruik (Nictiz PN.NL, BRP):
 * NL1 own name, NL2 partner's name, NL3 partner's name followed by own name (`Dijk-de Vries`),
 * NL4 own name followed by partner's name (`de Vries-van Dijk`), as a hyphenated double name,
 * sometimes with spaces around the hyphen or each part as `Vries, de`; older exports write
 * `Jansen e.v. de Vries` (own name, wife of de Vries: written `de Vries-Jansen`). The name is
 * written as composed: a partner's name is never added from another attribute (PatientBirthName),
 * since only the patient's naamgebruik says which form they use.
 */
import type { PersonName } from '../model/study.ts';

export interface DutchName {
  /** `J.P.`, `Th.`, `IJ.`; empty when no given name is known */
  initials: string;
  /** the given names as written (title case when exported in capitals) */
  given: string;
  /** lower-case: `van den`, `'t`, `d'`; empty when none */
  tussenvoegsel: string;
  /** the family name without its leading tussenvoegsel: `Berg`, `Vries-van Dijk` */
  family: string;
  /** a title found in the prefix component (`dr.`), never printed by the letters */
  title: string;
}

/** Words that make up a tussenvoegsel (BRP table 36, the Dutch and common foreign ones). */
const TUSSENVOEGSEL_WORDS = new Set([
  'van', 'de', 'der', 'den', 'het', "'t", 't', 'te', 'ten', 'ter', 'in', 'op', 'uit', 'aan', 'bij', 'onder', 'over', 'voor', 'tot',
  "'s", 'la', 'le', 'les', "l'", 'du', 'des', 'di', 'da', 'dal', 'del', 'della', 'dos', 'das', 'do', 'von', 'vom', 'zu', 'zum', 'zur', "d'",
]);
/** The Dutch ones: only these are looked for after the given names or in the middle component. */
const DUTCH_WORDS = new Set(['van', 'de', 'der', 'den', 'het', "'t", 't', 'te', 'ten', 'ter', 'in', 'op', 'uit', 'aan', 'bij', 'onder', 'over', 'voor', "'s"]);
/** Words that may start a tussenvoegsel but are never one alone (`in 't`, `op de`, `uit den`). */
const NOT_ALONE = new Set(['in', 'op', 'uit', 'aan', 'bij', 'onder', 'over', 'voor', 'tot', 't']);

const TITLES = new Set([
  'dr', 'dr.', 'drs', 'drs.', 'mr', 'mr.', 'ir', 'ir.', 'ing', 'ing.', 'prof', 'prof.', 'ds', 'ds.', 'bc', 'bc.', 'msc', 'bsc', 'ma', 'ba', 'md', 'phd',
  'dhr', 'dhr.', 'mevr', 'mevr.', 'mw', 'mw.', 'mej', 'mej.', 'mrs', 'mrs.', 'ms', 'ms.', 'mw.', 'jhr', 'jhr.', 'jkvr', 'jkvr.',
]);

/** Marks between an own name and a partner's name in older exports: `Jansen e.v. de Vries`. */
const PARTNER_MARK = /\s+(?:e\.\s?v\.|echtg\.?|echtgenote van|wed\.?|weduwe van|gehuwd met)\s+/i;

const hasCase = (text: string) => text.toUpperCase() !== text.toLowerCase();
/** Written in capitals: has cased letters and no lower-case ones. */
export const isAllCapitals = (text: string) => hasCase(text) && text === text.toUpperCase();

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const wordsOf = (text: string) => squash(text).split(' ').filter(Boolean);

function isTussenvoegselWord(word: string, words: Set<string> = TUSSENVOEGSEL_WORDS): boolean {
  return words.has(word.toLowerCase().replace(/[’‘`]/g, "'"));
}

/** Lower-case, apostrophes straightened: `'T` → `'t`, `V.D.` → `van der`? no: kept as written, lower-cased. */
function normaliseTussenvoegsel(words: string[]): string {
  return words.map((word) => word.toLowerCase().replace(/[’‘`]/g, "'")).join(' ');
}

/** All words a tussenvoegsel, and not a word that is never one alone. */
function isTussenvoegsel(words: string[], known: Set<string> = TUSSENVOEGSEL_WORDS): boolean {
  if (words.length === 0 || !words.every((word) => isTussenvoegselWord(word, known))) return false;
  return !(words.length === 1 && NOT_ALONE.has(words[0]!.toLowerCase()));
}

/** `IJZERMAN` → `IJzerman`, `O'BRIEN` → `O'Brien`, `JAN-WILLEM` → `Jan-Willem`. */
function titleCaseWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/(^|[-'’])(ij|\p{L})/gu, (_, before: string, letter: string) => before + (letter === 'ij' ? 'IJ' : letter.toUpperCase()));
}

/** Title case with tussenvoegsels lower-case, also inside a double name: `DE VRIES-VAN DIJK` → `de Vries-van Dijk`. */
function titleCaseFamily(text: string): string {
  return text
    .split('-')
    .map((part) => {
      const words = wordsOf(part);
      return words.map((word, index) => (index < words.length - 1 && isTussenvoegselWord(word) ? normaliseTussenvoegsel([word]) : titleCaseWord(word))).join(' ');
    })
    .join('-');
}

/** Splits a leading tussenvoegsel off a family name, leaving at least one word: `van den Berg` → [`van den`, `Berg`]. */
function splitLeading(family: string): [string, string] {
  // d'Ancona, 's-Gravesande-like forms: an elided tussenvoegsel glued to the name
  const glued = /^(d['’]|l['’])(\p{L}.*)$/iu.exec(family);
  if (glued) return [normaliseTussenvoegsel([glued[1]!]), glued[2]!];
  const words = wordsOf(family);
  // the first part of a double name decides: `de Vries-van Dijk` → `de` + `Vries-van Dijk`
  let count = 0;
  while (count < words.length - 1 && isTussenvoegselWord(words[count]!) && !words[count]!.includes('-')) count += 1;
  while (count > 0 && !isTussenvoegsel(words.slice(0, count))) count -= 1;
  if (count === 0) return ['', family];
  return [normaliseTussenvoegsel(words.slice(0, count)), words.slice(count).join(' ')];
}

/** Trailing tussenvoegsel words of a component: `Jan van den` → [`Jan`, `van den`]. */
function splitTrailing(text: string): [string, string] {
  const words = wordsOf(text);
  let start = words.length;
  while (start > 1 && isTussenvoegselWord(words[start - 1]!, DUTCH_WORDS)) start -= 1;
  while (start < words.length && !isTussenvoegsel(words.slice(start), DUTCH_WORDS)) start += 1;
  if (start === words.length) return [text, ''];
  return [words.slice(0, start).join(' '), normaliseTussenvoegsel(words.slice(start))];
}

/** `Vries, de` → `de Vries`; a part without a comma stays as it is. */
function reorderComma(part: string): string {
  const comma = part.indexOf(',');
  if (comma < 0) return part;
  const after = wordsOf(part.slice(comma + 1));
  if (!isTussenvoegsel(after)) return part;
  return `${normaliseTussenvoegsel(after)} ${squash(part.slice(0, comma))}`;
}

/** Initials of given names: `Jan Pieter` → `J.P.`, `J.P.` stays, `Th. J.` → `Th.J.`, `IJsbrand` → `IJ.`, `JP` → `J.P.` */
export function initialsOf(given: string): string {
  const tokens = given.match(/[^\s.\-]+\.?/gu) ?? [];
  return tokens
    .map((token) => {
      const bare = token.replace(/\.$/, '');
      if (token.endsWith('.') && [...bare].length <= 3) return `${capitalFirst(bare)}.`; // Th., Chr., J.
      // capitals without a vowel, as a scanner console writes initials: JP, JPM
      if (isAllCapitals(bare) && /^\p{Lu}{2,4}$/u.test(bare) && !/[AEIOUY]/.test(bare)) return [...bare].map((letter) => `${letter}.`).join('');
      if (/^ij/i.test(bare)) return 'IJ.';
      return `${[...bare][0]?.toUpperCase() ?? ''}.`;
    })
    .join('');
}

/** `J.`, `J.P.`, `J`, or capitals without a vowel (`JP`): initials, not a name to title-case. */
function isInitialsToken(word: string): boolean {
  return /^(\p{Lu}\.)+$/u.test(word) || /^\p{Lu}$/u.test(word) || (/^\p{Lu}{2,4}$/u.test(word) && !/[AEIOUY]/.test(word));
}

function capitalFirst(text: string): string {
  if (/^ij/i.test(text)) return `IJ${text.slice(2)}`;
  const [first = '', ...rest] = [...text];
  return first.toUpperCase() + rest.join('');
}

/** Parses a DICOM PN's components into initials, tussenvoegsel and family name. */
export function parseDutchName(name: PersonName): DutchName {
  let family = squash(name.family);
  let given = squash(name.given);
  const middle = squash(name.middle);
  const prefix = squash(name.prefix);
  let title = '';
  let tussenvoegsel = '';

  // `Berg, Jan` all in the family component, no given component
  if (!given && family.includes(',')) {
    const comma = family.indexOf(',');
    const after = wordsOf(family.slice(comma + 1));
    if (after.length > 0 && !isTussenvoegsel(after) && !family.slice(comma + 1).includes('-')) {
      given = after.join(' ');
      family = squash(family.slice(0, comma));
    }
  }

  // `Jansen e.v. de Vries`: own name, wife of de Vries; conventionally written `de Vries-Jansen`
  const partner = PARTNER_MARK.exec(family);
  if (partner) family = `${squash(family.slice(partner.index + partner[0].length))}-${squash(family.slice(0, partner.index))}`;

  // double names: `van Dijk - de Vries` → `van Dijk-de Vries`; each part may be `Vries, de`
  family = family.split(/\s*-\s*/).map(reorderComma).join('-');

  // prefix component: a tussenvoegsel, a title, or a title and a tussenvoegsel
  const prefixWords = wordsOf(prefix);
  const titleWords: string[] = [];
  while (prefixWords.length > 0 && TITLES.has(prefixWords[0]!.toLowerCase())) titleWords.push(prefixWords.shift()!);
  title = titleWords.join(' ');
  let prefixTussenvoegsel = '';
  if (isTussenvoegsel(prefixWords)) prefixTussenvoegsel = normaliseTussenvoegsel(prefixWords);
  else if (prefixWords.length > 0) title = squash(`${title} ${prefixWords.join(' ')}`);

  // middle component used for the tussenvoegsel, or holding further given names
  let middleGiven = middle;
  if (middle && isTussenvoegsel(wordsOf(middle), DUTCH_WORDS)) {
    prefixTussenvoegsel ||= normaliseTussenvoegsel(wordsOf(middle));
    middleGiven = '';
  }

  // the tussenvoegsel after the given names: `Berg^Jan van den`
  const [givenOnly, givenTussenvoegsel] = splitTrailing(given);
  if (givenTussenvoegsel) {
    given = givenOnly;
    prefixTussenvoegsel ||= givenTussenvoegsel;
  }

  const [leading, rest] = splitLeading(family);
  // `Berg van den`, as a list sorted by family name writes it
  const [base, trailing] = family.includes('-') ? [family, ''] : splitTrailing(family);
  if (leading) {
    tussenvoegsel = leading;
    family = rest;
  } else if (trailing) {
    tussenvoegsel = trailing;
    family = base;
  } else if (prefixTussenvoegsel) {
    tussenvoegsel = prefixTussenvoegsel;
  }

  // capitals only in the family name itself: `VAN DEN BERG`, `van den BERG`, `BERG, VAN DEN`
  if (isAllCapitals(family)) family = titleCaseFamily(family);
  // a tussenvoegsel without a family name to go with it is not written
  if (!family) tussenvoegsel = '';
  const allGiven = squash(`${given} ${middleGiven}`);
  const givenWritten = isAllCapitals(allGiven) ? wordsOf(allGiven).map((word) => (isInitialsToken(word) ? word : titleCaseWord(word))).join(' ') : allGiven;

  return { initials: initialsOf(givenWritten), given: givenWritten, tussenvoegsel, family, title };
}

/** Parses a PN string (alphabetic group) the way the DICOM reader splits it. */
export function parseDutchPn(value: string): DutchName {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = (value.split('=')[0] ?? '').split('^');
  return parseDutchName({ family, given, middle, prefix, suffix });
}

function joinSurname(tussenvoegsel: string, family: string): string {
  if (!tussenvoegsel) return family;
  if (!family) return tussenvoegsel;
  return /['’]$/.test(tussenvoegsel) && !/^['’]/.test(tussenvoegsel) ? `${tussenvoegsel}${family}` : `${tussenvoegsel} ${family}`;
}

/** The surname after initials: `van den Berg`, `de Vries-van Dijk`, `d'Ancona`. */
export function surname(name: DutchName): string {
  return joinSurname(name.tussenvoegsel, name.family);
}

/** The surname with nothing before it, as in a salutation: `Van den Berg`, `De Vries-van Dijk`, `'t Hart`. */
export function surnameCapitalised(name: DutchName): string {
  if (!name.tussenvoegsel) return name.family;
  // 't and 's keep their lower-case letter: the capital goes to the next word ('t Hart → 'T Hart is not written)
  if (/^['’]/.test(name.tussenvoegsel)) return joinSurname(name.tussenvoegsel, name.family);
  return joinSurname(capitalFirst(name.tussenvoegsel), name.family);
}

/** In running text: `A. van den Berg`; without initials the surname stands first: `Van den Berg`; without a surname the given names. */
export function runningName(name: DutchName): string {
  if (!surname(name)) return name.given;
  return name.initials ? `${name.initials} ${surname(name)}` : surnameCapitalised(name);
}

/**
 * The template items of a name (template-spec.ts NAME_ITEMS): `initials`, `tussenvoegsel`,
 * `family` as it follows initials (`van den Berg`), `familyCapitalised` with nothing before it
 * (`Van den Berg`), `name` in running text (`A. van den Berg`), `given`.
 */
export function nameItems(name: DutchName | null) {
  return {
    initials: name?.initials ?? '',
    tussenvoegsel: name?.tussenvoegsel ?? '',
    family: name ? surname(name) : '',
    familyCapitalised: name ? surnameCapitalised(name) : '',
    name: name ? runningName(name) : '',
    given: name?.given ?? '',
  };
}
