import { beforeAll, describe, expect, it } from 'vitest';
import { lintProbe, type Findings } from './probe-project.ts';

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

/** Each probe file and the rules that must report it, nothing more. */
const PROBES: Record<string, { text: string; rules: string[] }> = {
  'src/model/uses-clinical.ts': { text: "import { classify } from '../clinical/rules.ts';\nexport const used = classify;\n", rules: [RESTRICTED] },
  'src/dicom/uses-readers.ts': { text: "import { read } from '../readers/read.ts';\nexport const used = read;\n", rules: [RESTRICTED] },
  'src/clinical/uses-letters.ts': { text: "import type { Letter } from '../letters/letter.ts';\nexport const used = (letter: Letter) => letter;\n", rules: [RESTRICTED] },
  'src/store/uses-watch.ts': { text: "import { layout } from '../watch/layout.ts';\nexport const used = layout;\n", rules: [RESTRICTED] },
  'src/readers/ge-lunar/uses-dicom.ts': { text: "import { parse } from '../../dicom/parse.ts';\nimport { near } from '../near.ts';\nexport const used = [parse, near];\n", rules: [] },
  'src/ingest/uses-fonts.ts': { text: "import { fontRuns } from '../fonts/font-runs.ts';\nexport const used = fontRuns;\n", rules: [] },
  'src/cli/uses-watch.ts': { text: "import { layout } from '../watch/layout.ts';\nexport const used = layout;\n", rules: [] },
  'src/model/floating.ts': {
    text: 'async function save(): Promise<void> {}\nexport function run(): void {\n  save();\n}\n',
    rules: ['@typescript-eslint/no-floating-promises'],
  },
  'src/model/shape.ts': { text: 'export interface Shape {\n  width: number;\n}\n', rules: [] },
  'src/model/value-import-of-a-type.ts': {
    text: "import { Shape } from './shape.ts';\nexport const width = (shape: Shape) => shape.width;\n",
    rules: ['@typescript-eslint/consistent-type-imports'],
  },
  'src/model/open-switch.ts': {
    text: "export function side(value: 'left' | 'right'): number {\n  switch (value) {\n    case 'left':\n      return 0;\n  }\n  return 1;\n}\n",
    rules: ['@typescript-eslint/switch-exhaustiveness-check'],
  },
};

describe('the lint rules', () => {
  let findings: Findings;
  let messages: string[];

  beforeAll(async () => {
    ({ findings, messages } = await lintProbe(Object.fromEntries(Object.entries(PROBES).map(([path, { text }]) => [path, text]))));
  }, 120_000);

  it.each(Object.entries(PROBES))('%s', (path, { rules }) => {
    expect(findings.get(path)).toEqual(rules);
  });

  it('say which folders the importing folder may use', () => {
    expect(messages).toContain("'../clinical/rules.ts' import is restricted from being used by a pattern. pipeline direction: src/model may import nothing of ours.");
    expect(messages).toContain("'../readers/read.ts' import is restricted from being used by a pattern. pipeline direction: src/dicom may import model.");
  });
});
