import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { assessedFixture, lettersOf } from '../helpers/letters.ts';

/** The Info dictionary of a PDF, as a viewer, a file list or a search index reads it. */
async function pdfInfo(pdf: Uint8Array): Promise<Record<string, unknown>> {
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const { info, metadata } = await document.getMetadata();
    expect(metadata).toBeNull(); // no XMP stream that could carry more
    return info as Record<string, unknown>;
  } finally {
    await document.destroy();
  }
}

describe('PDF metadata', () => {
  it.each([
    ['10', 'nl'],
    ['18', 'nl'],
    ['06', 'en'],
  ] as const)('fixture %s (%s): no patient name or birth date, the accession and study date instead', async (prefix, language) => {
    const study = await assessedFixture(prefix);
    const { family, given } = study.patient.name!;
    const birthDate = study.patient.birthDate!;
    const [year, month, day] = birthDate.split('-');
    const letters = await lettersOf(prefix, language);
    for (const { letter } of [letters.gp, letters.patient]) {
      const info = await pdfInfo(letter.pdf);
      const values = Object.values(info).filter((value): value is string => typeof value === 'string');
      const text = values.join(' | ');
      for (const part of [family, ...given.split(/\s+/)].filter((word) => word.length > 1)) expect(text.toLowerCase()).not.toContain(part.toLowerCase());
      // the year alone rules out every written form ("21 juli 1957", "19570721", "21-07-1957")
      for (const date of [birthDate, `${year}${month}${day}`, year!]) expect(text).not.toContain(date);
      expect(info['Title']).toMatch(language === 'nl' ? /^Uitslag botdichtheidsmeting \(DXA\), brief aan de (huisarts|patiënt)$/ : /^Bone densitometry report \(DXA\), letter to the (GP|patient)$/);
      expect(info['Keywords']).toContain(study.study.accessionNumber!);
      expect(info['Keywords']).toContain(study.study.studyDate!);
      expect(info['Subject']).toContain(study.study.accessionNumber!);
    }
  });
});
