import { describe, expect, it } from 'vitest';
import { initialsOf, parseDutchName, parseDutchPn, runningName, surnameCapitalised } from '../../src/letters/dutch-name.ts';
import { parsePersonName } from '../../src/readers/dicom-header.ts';

// PN as exported → initials, tussenvoegsel, family name; in running text (after mevrouw / de heer); at the start of a salutation (after Beste mevrouw / Geachte heer)
const FORMS: [pn: string, initials: string, tussenvoegsel: string, family: string, running: string, salutation: string][] = [
  ['Berg^Jan', 'J.', '', 'Berg', 'J. Berg', 'Berg'],
  ['van den Berg^Jan', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['Berg^Jan^^van den', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['Berg^Jan^van den', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['Berg^Jan van den', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['Berg, van den^Jan', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['Berg van den^Jan', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['BERG, VAN DEN^JAN', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['Berg,van den^Jan', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['van den Berg^Jan^^van den', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['VAN DEN BERG^JAN', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['BERG^JAN^^VAN DEN', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['De Vries^Noëlle', 'N.', 'de', 'Vries', 'N. de Vries', 'De Vries'],
  ['Jansen-de Vries^Anna', 'A.', '', 'Jansen-de Vries', 'A. Jansen-de Vries', 'Jansen-de Vries'],
  ['Vries-van Dijk^Maria^^de', 'M.', 'de', 'Vries-van Dijk', 'M. de Vries-van Dijk', 'De Vries-van Dijk'],
  ['de Vries-van Dijk^Maria', 'M.', 'de', 'Vries-van Dijk', 'M. de Vries-van Dijk', 'De Vries-van Dijk'],
  ['van Dijk - de Vries^Maria', 'M.', 'van', 'Dijk-de Vries', 'M. van Dijk-de Vries', 'Van Dijk-de Vries'],
  ['Dijk, van - Vries, de^Maria', 'M.', 'van', 'Dijk-de Vries', 'M. van Dijk-de Vries', 'Van Dijk-de Vries'],
  ['VAN DER MEER-DE JONG^JAN-WILLEM', 'J.W.', 'van der', 'Meer-de Jong', 'J.W. van der Meer-de Jong', 'Van der Meer-de Jong'],
  ['Jansen e.v. de Vries^Anna', 'A.', 'de', 'Vries-Jansen', 'A. de Vries-Jansen', 'De Vries-Jansen'],
  ['Berg^Jan Pieter', 'J.P.', '', 'Berg', 'J.P. Berg', 'Berg'],
  ['Berg^Jan^Pieter Marie', 'J.P.M.', '', 'Berg', 'J.P.M. Berg', 'Berg'],
  ['Berg^J.P.', 'J.P.', '', 'Berg', 'J.P. Berg', 'Berg'],
  ['Berg^J. P.', 'J.P.', '', 'Berg', 'J.P. Berg', 'Berg'],
  ['BERG^JP', 'J.P.', '', 'Berg', 'J.P. Berg', 'Berg'],
  ['Smit^Th. J.', 'Th.J.', '', 'Smit', 'Th.J. Smit', 'Smit'],
  ['Berg^Jan-Willem', 'J.W.', '', 'Berg', 'J.W. Berg', 'Berg'],
  ['Berg^Jan^^dr.', 'J.', '', 'Berg', 'J. Berg', 'Berg'],
  ['Berg^Jan^^dr. van den', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ["Hart^Piet^^'t", 'P.', "'t", 'Hart', "P. 't Hart", "'t Hart"],
  ["'T HART^PIET", 'P.', "'t", 'Hart', "P. 't Hart", "'t Hart"],
  ["in 't Veld^Kees", 'K.', "in 't", 'Veld', "K. in 't Veld", "In 't Veld"],
  ["van 't Hof^Ria", 'R.', "van 't", 'Hof', "R. van 't Hof", "Van 't Hof"],
  ['op de Beek^Ria', 'R.', 'op de', 'Beek', 'R. op de Beek', 'Op de Beek'],
  ['Uit den Bogaard^Frans', 'F.', 'uit den', 'Bogaard', 'F. uit den Bogaard', 'Uit den Bogaard'],
  ['ten Brink^Henk', 'H.', 'ten', 'Brink', 'H. ten Brink', 'Ten Brink'],
  ['ter Horst^Els', 'E.', 'ter', 'Horst', 'E. ter Horst', 'Ter Horst'],
  ["D'ANCONA^LEA", 'L.', "d'", 'Ancona', "L. d'Ancona", "D'Ancona"],
  ['IJZERMAN^IJSBRAND', 'IJ.', '', 'IJzerman', 'IJ. IJzerman', 'IJzerman'],
  ["O'BRIEN^SEAN", 'S.', '', "O'Brien", "S. O'Brien", "O'Brien"],
  ['Berg, Jan', 'J.', '', 'Berg', 'J. Berg', 'Berg'],
  ['van der Berg', '', 'van der', 'Berg', 'Van der Berg', 'Van der Berg'],
  ['Van^Jan', 'J.', '', 'Van', 'J. Van', 'Van'],
  ['McDonald^Ann', 'A.', '', 'McDonald', 'A. McDonald', 'McDonald'],
  ['van den BERG^Jan', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
  ['^Jan^^van', 'J.', '', '', 'Jan', ''],
  ['BERG^Jan', 'J.', '', 'Berg', 'J. Berg', 'Berg'],
  ['Nguyen^Thi Le', 'T.L.', '', 'Nguyen', 'T.L. Nguyen', 'Nguyen'],
  ['Παπαδόπουλος^Ελένη', 'Ε.', '', 'Παπαδόπουλος', 'Ε. Παπαδόπουλος', 'Παπαδόπουλος'],
  ['van den Berg^Jan=ヤマダ^タロウ', 'J.', 'van den', 'Berg', 'J. van den Berg', 'Van den Berg'],
];

describe('Dutch personal names from DICOM PN', () => {
  it('covers at least 20 forms', () => expect(FORMS.length).toBeGreaterThanOrEqual(20));

  it.each(FORMS)('%s → %s | %s | %s', (pn, initials, tussenvoegsel, family, running, salutation) => {
    const read = parsePersonName(pn);
    expect(read).not.toBeNull();
    const name = parseDutchName(read!);
    expect({ initials: name.initials, tussenvoegsel: name.tussenvoegsel, family: name.family }).toEqual({ initials, tussenvoegsel, family });
    expect(runningName(name)).toBe(running);
    expect(surnameCapitalised(name)).toBe(salutation);
    expect(parseDutchPn(pn)).toEqual(name);
  });

  it('keeps a title in the prefix component apart, never as a tussenvoegsel', () => {
    expect(parseDutchPn('Berg^Jan^^prof. dr.')).toMatchObject({ title: 'prof. dr.', tussenvoegsel: '' });
    expect(parseDutchPn('Berg^Jan^^dr. van den')).toMatchObject({ title: 'dr.', tussenvoegsel: 'van den' });
  });

  it('a name without a family name is written by its given name', () => {
    expect(runningName(parseDutchPn('^Anna'))).toBe('Anna');
  });

  it('initials: one per given name, abbreviations kept, IJ as one letter', () => {
    expect(initialsOf('Anna Maria')).toBe('A.M.');
    expect(initialsOf('Noëlle')).toBe('N.');
    expect(initialsOf('Chr. Johannes')).toBe('Chr.J.');
    expect(initialsOf('IJsbrand')).toBe('IJ.');
    expect(initialsOf('')).toBe('');
  });
});
