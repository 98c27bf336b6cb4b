/**
 * Letter rendering over the fixture studies: milliseconds per letter (pdfkit, embedded font) and
 * PDF sizes. Run: npm run bench
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { DEFAULT_CONFIG } from '../src/config/default-config.ts';
import { assessStudy } from '../src/ingest/assess-study.ts';
import type { AssessedStudy } from '../src/model/assessed-study.ts';
import { assessWithPriors } from '../src/ingest/prior-studies.ts';
import { ingestPaths } from '../src/ingest/ingest-paths.ts';
import { FONT_FILES } from '../src/fonts/fonts.ts';
import { loadTemplates } from '../src/letters/load-templates.ts';
import { extractPdfText } from '../src/letters/pdf-text.ts';
import { renderStudyLetters } from '../src/letters/render-letters.ts';

const rounds = Number(process.env['BENCH_LETTER_ROUNDS'] ?? 5);
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const { studies } = await ingestPaths([fixtures]);
// as the service does: each study compared with the earlier ones of its patient (fixtures' priors/)
const assessed = await assessWithPriors(studies, (study, priors) => assessStudy(study, undefined, undefined, undefined, priors));
const templates = await loadTemplates('nl');
const request = { kinds: ['gp', 'patient'] as ('gp' | 'patient')[], letterDate: '2026-11-23', creationDate: new Date('2026-11-23T09:00:00Z') };

await renderStudyLetters(assessed[0]!, DEFAULT_CONFIG, templates, request); // warm up: font parsing, JIT
const sizes: number[] = [];
const texts: string[] = [];
const start = performance.now();
for (let round = 0; round < rounds; round++) {
  for (const study of assessed) {
    for (const letter of await renderStudyLetters(study, DEFAULT_CONFIG, templates, request)) if (round === 0) sizes.push(letter.pdf.length);
  }
}
const letters = rounds * assessed.length * 2;
const perLetter = (performance.now() - start) / letters;

// The floor: each letter's text set by bare pdfkit in the same font and size, one flowing text
// on A4 pages, no tables, pictures or layout decisions.
for (const study of assessed) for (const letter of await renderStudyLetters(study, DEFAULT_CONFIG, templates, request)) texts.push((await extractPdfText(letter.pdf)).join('\n'));
const fontBytes = readFileSync(FONT_FILES.regular);
const barePage = (text: string) =>
  new Promise<Buffer>((resolve) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('body', fontBytes);
    doc.font('body').fontSize(10).text(text, { width: 467 });
    doc.end();
  });
for (const text of texts) await barePage(text); // warm up
const bareStart = performance.now();
for (let round = 0; round < rounds; round++) for (const text of texts) await barePage(text);
const perBare = (performance.now() - bareStart) / (rounds * texts.length);
sizes.sort((a, b) => a - b);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
console.log(`letters: ${letters} rendered, ${perLetter.toFixed(1)} ms per letter, PDF size median ${kib(sizes[sizes.length >> 1]!)} KiB (min ${kib(sizes[0]!)}, max ${kib(sizes[sizes.length - 1]!)})`);
console.log(`bare pdfkit, the same texts: ${perBare.toFixed(1)} ms per letter; letters / bare: ${(perLetter / perBare).toFixed(2)} (target ≤ 1.0)`);

// The cost of the pictures: the same letters with the score scale switched off in both, rounds
// taken in turn with and without so that a busy machine weighs on both alike.
const noPictures = { ...DEFAULT_CONFIG, letters: { ...DEFAULT_CONFIG.letters, pictures: { scale: { patient: false, gp: false }, trend: { gp: false } } } };
const spent = { with: 0, without: 0 };
for (let round = 0; round < rounds * 2; round++) {
  const which = round % 2 === 0 ? 'without' : 'with';
  // CPU time of this process: what the picture costs, whatever else the machine is running
  const roundStart = process.cpuUsage();
  for (const study of assessed) await renderStudyLetters(study, which === 'with' ? DEFAULT_CONFIG : noPictures, templates, request);
  const used = process.cpuUsage(roundStart);
  spent[which] += (used.user + used.system) / 1000;
}
console.log(`pictures: ${(spent.with / letters).toFixed(1)} ms CPU per letter with them, ${(spent.without / letters).toFixed(1)} without (${((spent.with - spent.without) / letters).toFixed(1)} ms for the pictures)`);

// The trend alone, on the GP letters that have one (five panels in fixture 27's)
const withTrend = assessed.filter((study) => study.classification.trend !== null);
const noTrend = { ...DEFAULT_CONFIG, letters: { ...DEFAULT_CONFIG.letters, pictures: { ...DEFAULT_CONFIG.letters.pictures, trend: { gp: false } } } };
const gpOnly = { ...request, kinds: ['gp'] as ('gp' | 'patient')[] };
const trendSpent = { with: 0, without: 0 };
for (let round = 0; round < rounds * 4; round++) {
  const which = round % 2 === 0 ? 'without' : 'with';
  const roundStart = process.cpuUsage();
  for (const study of withTrend) await renderStudyLetters(study, which === 'with' ? DEFAULT_CONFIG : noTrend, templates, gpOnly);
  const used = process.cpuUsage(roundStart);
  trendSpent[which] += (used.user + used.system) / 1000;
}
const trendLetters = rounds * 2 * withTrend.length;
console.log(`BMD trend: ${(trendSpent.with / trendLetters).toFixed(1)} ms CPU per GP letter with it, ${(trendSpent.without / trendLetters).toFixed(1)} without (${((trendSpent.with - trendSpent.without) / trendLetters).toFixed(1)} ms for the trend, ${withTrend.length} letter(s))`);

// The same study under names that need the Noto fallback fonts (the first of each parsed on first use, in the warm-up).
const names = [{ family: '陳', given: '大文' }, { family: 'الحسيني', given: 'محمد' }, { family: 'Παπαδόπουλος', given: 'Ελένη' }, { family: 'Jansen 😀', given: 'Anna' }];
const base = assessed[0]!;
const named: AssessedStudy[] = [];
for (const name of names) named.push(await assessStudy({ ...base, patient: { ...base.patient, name: { ...(base.patient.name ?? { middle: '', prefix: '', suffix: '' }), ...name } } }));
for (const study of named) await renderStudyLetters(study, DEFAULT_CONFIG, templates, request);
const namedStart = performance.now();
for (let round = 0; round < rounds; round++) for (const study of named) await renderStudyLetters(study, DEFAULT_CONFIG, templates, request);
console.log(`letters with Chinese, Arabic, Greek and emoji names: ${((performance.now() - namedStart) / (rounds * named.length * 2)).toFixed(1)} ms per letter`);
console.log(`RESULT ${JSON.stringify({ letters, msPerLetter: Number(perLetter.toFixed(1)), msPerBarePdfkitLetter: Number(perBare.toFixed(1)), ratioToBarePdfkit: Number((perLetter / perBare).toFixed(2)) })}`);
