import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of a PDF, page by page, the way a reader would copy it: one line per line of the
 * page, words joined by single spaces. Used by `dexa qa` and the tests to check what a letter says.
 */
export async function extractPdfText(pdf: Uint8Array): Promise<string[]> {
  const task = getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 });
  const document = await task.promise;
  const pages: string[] = [];
  try {
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        // a glyph that stands for no character of its own (the dots Noto Arabic draws apart from
        // their letter) comes back as its glyph number, a control code
        text += item.str.replace(/[\u0000-\u001f]/g, '') + (item.hasEOL ? '\n' : '');
      }
      pages.push(text.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n'));
    }
  } finally {
    await document.destroy();
  }
  return pages;
}
