import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DepartmentConfig } from '../config/config-schema.ts';
import { assessStudy } from '../ingest/assess-study.ts';
import { ingestPaths } from '../ingest/ingest-paths.ts';
import { assessWithPriors, studiesBesidePriors } from '../ingest/prior-studies.ts';
import { extractPdfText } from '../letters/pdf-text.ts';
import type { Templates } from '../letters/load-templates.ts';
import { renderStudyLetters } from '../letters/render-letters.ts';

export interface QaResult {
  study: string;
  expected: string;
  got: string;
  pass: boolean;
  differences: string[];
}

interface ClassificationGolden {
  category: string | null;
  flags: string[];
  releasable: boolean;
}

/**
 * Runs every fixture study under `directory` through extraction, classification and both letters,
 * and compares the outcome with the goldens in its `golden/` folder. With `update`, writes them.
 */
export async function runQa(directory: string, config: DepartmentConfig, templates: Templates, update: boolean): Promise<QaResult[]> {
  const entries = (await readdir(directory, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const results: QaResult[] = [];
  for (const name of entries) {
    const folder = join(directory, name);
    if (!(await exists(join(folder, 'expected.json')))) continue;
    results.push(await checkStudy(name, folder, config, templates, update));
  }
  return results;
}

async function checkStudy(name: string, folder: string, config: DepartmentConfig, templates: Templates, update: boolean): Promise<QaResult> {
  const ingested = await ingestPaths([folder]);
  // the earlier studies of the patient sit in priors/: read with it, as the store would give them
  const own = studiesBesidePriors(ingested.studies, folder);
  const problems = [
    ...ingested.failures.map((failure) => `${failure.file}: ${failure.error}`),
    ...(own.length === 1 ? [] : [`expected one study beside priors/, found ${own.length}`]),
  ];
  const extracted = own[0];
  if (!extracted) return { study: name, expected: '?', got: 'no study', pass: false, differences: problems };

  const assessed = await assessWithPriors(ingested.studies, (candidate, priors) => assessStudy(candidate, undefined, config.clinical, undefined, priors));
  const study = assessed[ingested.studies.indexOf(extracted)]!;
  const date = study.study.studyDate ?? '2000-01-01';
  const letters = await renderStudyLetters(study, config, templates, { kinds: ['gp', 'patient'], letterDate: date, creationDate: new Date(`${date}T12:00:00Z`) });
  const got: ClassificationGolden = {
    category: study.classification.category,
    flags: [...new Set(study.classification.flags.map((f) => f.code))].sort(),
    releasable: study.classification.releasable,
  };
  const texts = new Map<string, string>();
  for (const letter of letters) texts.set(`${letter.kind}.${letter.language}.txt`, (await extractPdfText(letter.pdf)).join('\n\f\n') + '\n');

  const goldenDir = join(folder, 'golden');
  if (update) {
    await mkdir(goldenDir, { recursive: true });
    await writeFile(join(goldenDir, 'classification.json'), JSON.stringify(got, null, 2) + '\n');
    for (const [file, text] of texts) await writeFile(join(goldenDir, file), text);
  }

  const expected = await readJson<ClassificationGolden>(join(goldenDir, 'classification.json'));
  const differences = [...problems, ...study.errors.map((error) => error.message)];
  if (!expected) differences.push('no golden/classification.json (run dexa qa --update after checking the letters)');
  else {
    if (expected.category !== got.category) differences.push(`category: expected ${expected.category}, got ${got.category}`);
    if (expected.flags.join() !== got.flags.join()) differences.push(`flags: expected [${expected.flags.join(', ')}], got [${got.flags.join(', ')}]`);
    if (expected.releasable !== got.releasable) differences.push(`releasable: expected ${expected.releasable}, got ${got.releasable}`);
  }
  for (const [file, text] of texts) {
    const golden = await readFile(join(goldenDir, file), 'utf8').catch(() => null);
    if (golden === null) differences.push(`no golden/${file}`);
    else if (golden !== text) differences.push(`golden/${file}: ${firstDifference(golden, text)}`);
  }
  return { study: name, expected: expected?.category ?? '–', got: got.category ?? '–', pass: differences.length === 0, differences };
}

/** The first line where two texts part, as `line N: expected "…", got "…"`. */
export function firstDifference(expected: string, got: string): string {
  const a = expected.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected "${a[i] ?? ''}", got "${b[i] ?? ''}"`;
  }
  return 'texts differ';
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(() => true, () => false);
}

async function readJson<T>(path: string): Promise<T | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as T);
}
