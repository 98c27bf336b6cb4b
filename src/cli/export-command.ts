import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { fileModes, foldersMade } from '../config/file-modes.ts';
import { safePart } from '../letters/file-name.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { buildResultBundle } from '../results/fhir-bundle.ts';
import { buildOruMessage } from '../results/hl7-oru.ts';
import { letterText, type ResultInput } from '../results/result-input.ts';
import type { StudyRecord } from '../store/study-records.ts';
import type { StudyStore } from '../store/study-store.ts';
import { readLetterFile } from '../web/study-letter-file.ts';
import { ExitCode } from './exit-codes.ts';
import { existingFolder, withExistingStore } from './open-store.ts';
import { printJson, printLines, printProblem } from './output.ts';
import { UserError } from './problems.ts';
import { loadRuntime, type Runtime } from './runtime.ts';
import { withServicePaths, type ServicePaths } from './service-paths.ts';
import { pathsFromStore } from './service-setup.ts';

const FORMATS = ['fhir', 'hl7', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface ExportOptions extends ServicePaths {
  format: Format;
  from?: string;
  to?: string;
  into?: string;
  destination: string;
  config?: string;
}

/** One study's latest version as the store has it, with its letters read from out/. */
interface StudyExport {
  record: StudyRecord;
  result: AssessedStudy;
  held: boolean;
  letters: { gp: Buffer | null; patient: Buffer | null };
}

export function registerExport(program: Command): void {
  withServicePaths(program.command('export'))
    .description("the latest version of studies for the hospital's record: a FHIR R4 transaction bundle, an HL7 v2.5 ORU^R01, or the canonical JSON")
    .argument('[studies...]', 'StudyInstanceUID, accession number or number in the store')
    .requiredOption('--format <format>', 'fhir, hl7 or json', parseFormat)
    .option('--from <date>', 'every classified study from this study date (YYYY-MM-DD)', parseDate)
    .option('--to <date>', 'every classified study up to this study date (YYYY-MM-DD)', parseDate)
    .option('--into <dir>', 'write one file per study into this folder (made when missing) instead of printing')
    .option('--destination <name>', 'the receiver an HL7 message is for: part of its message control ID, so a resend is the same message', 'export')
    .option('--config <file>', "department configuration (YAML); by default the service's own")
    .action(async (keys: string[], given: ExportOptions, command: Command) => {
      if (keys.length === 0 && given.from === undefined && given.to === undefined) throw new UserError('name a study (UID, accession number or number) or give --from and --to');
      const options = { ...given, ...(await pathsFromStore(given, command)) };
      const runtime = await loadRuntime(options);
      if (!runtime) return;
      existingFolder(options.out, '--out');
      const studies = await withExistingStore(options.db, (store) => collectStudies(store, keys, options, given.format !== 'json'));
      const at = new Date();
      const outputs: { study: StudyExport; text: string; value?: unknown }[] = [];
      for (const study of studies) outputs.push(await render(study, given, runtime, at));
      if (given.into !== undefined) {
        const modes = fileModes(runtime.config);
        for (const folder of foldersMade(given.into, await mkdir(given.into, { recursive: true, mode: modes.folder }))) await chmod(folder, modes.folder);
        const written: string[] = [];
        for (const { study, text } of outputs) {
          const path = join(given.into, `${safePart(study.record.accession ?? study.record.studyUid)}_v${study.record.version}.${given.format === 'hl7' ? 'hl7' : 'json'}`);
          await writeFile(path, text, { mode: modes.file });
          await chmod(path, modes.file);
          written.push(`wrote ${path}`);
        }
        printLines(written);
      } else if (given.format === 'hl7') {
        // a segment per line on a terminal; the files carry the CR separators MLLP sends
        printLines(outputs.flatMap(({ text }, index) => [...(index > 0 ? [''] : []), ...text.split('\r')]));
      } else {
        printJson(outputs.map(({ value }) => value));
      }
    });
}

/** The studies named (each once, in the order given) and those of the date range; a name not found is told, the rest still exported. */
async function collectStudies(store: StudyStore, keys: string[], options: Pick<ExportOptions, 'from' | 'to' | 'out'>, withLetters: boolean): Promise<StudyExport[]> {
  const records: StudyRecord[] = [];
  for (const key of keys) {
    const record = await store.studies.find(key);
    if (record === null) {
      printProblem(`${key}: no such study in the store`);
      process.exitCode = ExitCode.BadInput;
    } else {
      records.push(record);
    }
  }
  if (options.from !== undefined || options.to !== undefined) records.push(...(await store.studies.classifiedBetween(options.from ?? '0000-01-01', options.to ?? '9999-12-31')));
  const seen = new Set<number>();
  const studies: StudyExport[] = [];
  for (const record of records) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    const result = record.version > 0 ? await store.studies.storedResult(record, record.version) : null;
    if (result === null) {
      printProblem(`${record.studyUid}: not classified yet; nothing to export`);
      process.exitCode = ExitCode.BadInput;
      continue;
    }
    if (record.state === 'rejected') {
      printProblem(`${record.studyUid}: its letters were rejected; nothing to export`);
      process.exitCode = ExitCode.BadInput;
      continue;
    }
    const current = (await store.letters.current(record.id)).filter((letter) => letter.version === record.version);
    const letters: StudyExport['letters'] = { gp: null, patient: null };
    if (withLetters) {
      for (const letter of current) {
        letters[letter.kind] = await readLetterFile(letter, options.out);
        if (letters[letter.kind] === null) printProblem(`${record.studyUid}: the ${letter.kind} letter ${letter.path} cannot be read; exported without it`);
      }
    }
    const held = record.state === 'held' || current.some((letter) => letter.state === 'review');
    studies.push({ record, result, held, letters });
  }
  return studies;
}

async function render(study: StudyExport, options: ExportOptions, runtime: Runtime, at: Date): Promise<{ study: StudyExport; text: string; value?: unknown }> {
  if (options.format === 'json') return { study, text: `${JSON.stringify(study.result, null, 2)}\n`, value: study.result };
  const input: ResultInput = {
    study: study.result,
    version: study.record.version,
    held: study.held,
    config: runtime.config,
    templates: runtime.templates,
    letters: study.letters,
    gpLetterText: study.letters.gp === null ? null : await letterText(study.letters.gp),
  };
  if (options.format === 'hl7') return { study, text: buildOruMessage(input, { destination: options.destination, at }) };
  const bundle = buildResultBundle(input, { at });
  return { study, text: `${JSON.stringify(bundle, null, 2)}\n`, value: bundle };
}

function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${FORMATS.join(', ')}`);
  return value as Format;
}

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('a date as YYYY-MM-DD');
  }
  return value;
}
