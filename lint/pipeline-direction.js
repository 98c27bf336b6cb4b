import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Which folders under src/ each folder may import from. Data flows one way:
// bytes (dicom) -> readers -> ingest (with the clinical rules) -> letters ->
// store, and only the commands at the top (watch, cli, web, and review and qa,
// which cli runs) put the pieces together.
const LOWER_STAGES = ['model', 'dicom', 'readers', 'clinical', 'config', 'fonts', 'ingest', 'letters', 'results'];

const mayImport = {
  model: [],
  dicom: ['model'],
  readers: ['model', 'dicom'],
  clinical: ['model'],
  // config validates the settings that dicom and clinical define.
  config: ['model', 'dicom', 'clinical'],
  // Assessing a study asks whether the letters' fonts can draw the patient's name.
  fonts: ['model'],
  ingest: ['model', 'dicom', 'readers', 'clinical', 'config', 'fonts'],
  letters: ['model', 'clinical', 'config', 'fonts', 'ingest'],
  // results for the hospital's record (HL7 v2, FHIR R4), built from the assessed study and its
  // letters, coded with the same LOINC table as the DICOM profile
  results: ['model', 'dicom', 'clinical', 'config', 'letters'],
  store: LOWER_STAGES,
  // The synthetic fixture generator writes what the readers read, laid out as ingest reads it.
  fixtures: ['model', 'dicom', 'readers', 'clinical', 'ingest'],
  // review and qa run from cli, beside the service, and share its folder layout.
  review: [...LOWER_STAGES, 'store', 'watch', 'network'],
  qa: [...LOWER_STAGES, 'store', 'watch'],
  // DICOM on the network: the receiver hands files to the intake and records receipts; the PACS
  // transport sends released results. Both sit beside the service, below what runs them.
  network: [...LOWER_STAGES, 'store'],
  watch: [...LOWER_STAGES, 'store', 'network'],
  // the workstation shows what the service does (its status, its folders) and acts through review.
  web: [...LOWER_STAGES, 'store', 'review', 'qa', 'watch', 'network'],
  cli: [...LOWER_STAGES, 'store', 'review', 'qa', 'watch', 'web', 'network'],
};

const FOLDERS = Object.keys(mayImport);

// A new folder must be placed in the direction before anything may use it.
const unplaced = readdirSync(join(import.meta.dirname, '..', 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !FOLDERS.includes(entry.name))
  .map((entry) => `src/${entry.name}`);
if (unplaced.length > 0) throw new Error(`lint/pipeline-direction.js does not place ${unplaced.join(', ')}`);

function restrictionFor(folder) {
  const allowed = new Set([folder, ...mayImport[folder]]);
  const forbidden = FOLDERS.filter((other) => !allowed.has(other));
  const allowedText = mayImport[folder].length === 0 ? 'nothing of ours' : mayImport[folder].join(', ');
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Imports inside src/ are relative: they climb out with ../ and
              // step into a top-level folder.
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              message: `pipeline direction: src/${folder} may import ${allowedText}.`,
            },
          ],
        },
      ],
    },
  };
}

export const pipelineDirection = FOLDERS.map(restrictionFor);
