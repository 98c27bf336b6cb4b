import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { BUILT_IN_TEMPLATES, loadTemplates, TemplateError } from '../../src/letters/load-templates.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { FIXTURES } from '../helpers/letters.ts';
import { runDexa } from '../helpers/run-cli.ts';
import { solidPng } from '../helpers/png.ts';
import { lettersOf } from '../helpers/letters.ts';

describe('templates', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-templates-'));
    await cp(BUILT_IN_TEMPLATES, root, { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const edit = async (file: string, from: string, to: string) => {
    const path = join(root, 'nl', file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(from)) throw new Error(`'${from}' not in ${file}`);
    await writeFile(path, text.replace(from, to));
  };
  const problems = async () => {
    try {
      await loadTemplates('nl', root);
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      return (error as TemplateError).problems;
    }
    throw new Error('the templates loaded');
  };

  it('the built-in templates, Dutch and English, are complete and valid', async () => {
    await expect(loadTemplates('nl')).resolves.toBeDefined();
    await expect(loadTemplates('en')).resolves.toBeDefined();
  });

  it('an unknown name is an error naming file and key', async () => {
    await edit('gp.yaml', '{{result.indexRegion}}."', '{{result.indexRgion}}."');
    expect(await problems()).toEqual([`${join(root, 'nl', 'gp.yaml')}: key 'diagnosis.normal': unknown name '{{result.indexRgion}}'`]);
  });

  it('a missing key, an unknown key and broken Mustache are each named', async () => {
    await edit('patient.yaml', 'closing: "Met vriendelijke groet,"', 'closng: "Met vriendelijke groet,"');
    await edit('common.yaml', 'draft: "CONCEPT – nog niet vrijgegeven"', 'draft: "CONCEPT {{#open}} nog niet vrijgegeven"');
    const found = await problems();
    expect(found).toContain(`${join(root, 'nl', 'patient.yaml')}: key 'closing' is missing`);
    expect(found).toContain(`${join(root, 'nl', 'patient.yaml')}: key 'closng' is not a template this letter uses`);
    expect(found.find((p) => p.includes("key 'draft'"))).toMatch(/template syntax error/);
  });

  it('a YAML error names the file', async () => {
    await writeFile(join(root, 'nl', 'gp.yaml'), 'title: [unclosed\n');
    expect((await problems())[0]).toMatch(new RegExp(`^${join(root, 'nl', 'gp.yaml')}: not valid YAML`));
  });

  it('a key may not use the names of another key', async () => {
    await edit('gp.yaml', 'salutation: "Geachte collega,"', 'salutation: "Geachte collega {{item.level}},"');
    expect(await problems()).toEqual([`${join(root, 'nl', 'gp.yaml')}: key 'salutation': unknown name '{{item.level}}'`]);
  });
});

describe('department configuration', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-config-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  const configError = async (yaml: string) => {
    await writeFile(join(folder, 'dexa.yaml'), yaml);
    return loadConfig(join(folder, 'dexa.yaml')).then(
      () => { throw new Error('the configuration loaded'); },
      (error: unknown) => { expect(error).toBeInstanceOf(ConfigError); return (error as Error).message; },
    );
  };

  it('only what differs need be given; the rest comes from the defaults', async () => {
    await writeFile(join(folder, 'dexa.yaml'), 'department:\n  name: Afdeling Nucleaire Geneeskunde\n');
    const { config } = await loadConfig(join(folder, 'dexa.yaml'));
    expect(config.department.name).toBe('Afdeling Nucleaire Geneeskunde');
    expect(config.department.phone).toBe('010 123 45 67');
  });

  it('department texts are given per language; an English letter never shows the Dutch ones, nor the example hospital\'s', async () => {
    const builtIn = await lettersOf('01', 'en');
    for (const letter of [builtIn.gp, builtIn.patient]) {
      expect(letter.text).toContain('Department of Radiology – Bone Densitometry');
      expect(letter.text).not.toMatch(/Afdeling Radiologie|radioloog|op werkdagen/);
    }
    expect(builtIn.gp.text).toContain('radiologist');
    expect(builtIn.patient.text).toContain('on weekdays from 8.30 a.m. to 4.30 p.m.');

    await writeFile(join(folder, 'dexa.yaml'), 'department:\n  name: { nl: Afdeling Nucleaire Geneeskunde }\nsignature:\n  title: { nl: nucleair geneeskundige, en: nuclear medicine physician }\n');
    const { config } = await loadConfig(join(folder, 'dexa.yaml'));
    const english = await lettersOf('01', 'en', config);
    expect(english.gp.text).toContain('Afdeling Nucleaire Geneeskunde'); // no English given: the department's own language
    expect(english.gp.text).not.toContain('Department of Radiology');
    expect(english.gp.text).toContain('nuclear medicine physician');
    expect((await lettersOf('01', 'nl', config)).gp.text).toContain('nucleair geneeskundige');
  });

  it.each([
    ['department:\n  name: { de: Radiologie }\n', 'department.name'],
    ['department:\n  phone: 12\n', 'department.phone'],
    ['department:\n  fax: "010"\n', 'department'],
    ['followUpYears:\n  osteopenia: "drie"\n', 'followUpYears.osteopenia'],
    ['letters:\n  fileNamePattern: "{patientName}_{letter}"\n', 'letters.fileNamePattern'],
    ['letters:\n  fileNamePattern: "{studyDate}"\n', 'letters.fileNamePattern'],
    ['clinical:\n  holdingFlags: [NOT_A_FLAG]\n', 'clinical.holdingFlags.0'],
    ['language: de\n', 'language'],
  ])('%j is an error naming file and key %s', async (yaml, key) => {
    const message = await configError(yaml);
    expect(message.startsWith(`${join(folder, 'dexa.yaml')}: `)).toBe(true);
    expect(message).toContain(`${key}:`);
  });

  it('a YAML error names the file', async () => {
    expect(await configError('department: [\n')).toMatch(/dexa\.yaml: is not valid YAML/);
  });

  it('a logo is drawn into both letters; a logo that is no image is an error at load time', async () => {
    await writeFile(join(folder, 'logo.png'), solidPng(120, 40, [0, 94, 140]));
    await writeFile(join(folder, 'dexa.yaml'), 'department:\n  logo: logo.png\n');
    const { config } = await loadConfig(join(folder, 'dexa.yaml'));
    expect(config.department.logo).toBe(join(folder, 'logo.png'));
    const { gp, patient } = await lettersOf('02', 'nl', config);
    for (const letter of [gp, patient]) expect(letter.letter.pdf.toString('latin1')).toContain('/Subtype /Image');
    await writeFile(join(folder, 'logo.png'), 'not an image');
    await expect(loadConfig(join(folder, 'dexa.yaml'))).rejects.toThrow(/department\.logo: .*logo\.png is not a PNG or JPEG image/);
    await writeFile(join(folder, 'dexa.yaml'), 'department:\n  logo: missing.png\n');
    await expect(loadConfig(join(folder, 'dexa.yaml'))).rejects.toThrow(/department\.logo: cannot read/);
  });

  it('the documented example configuration is valid', async () => {
    const example = new URL('../../docs/config.example.yaml', import.meta.url).pathname;
    const { config } = await loadConfig(example);
    expect(config.department.name).toBeTruthy();
  });
});

describe('a department adapts its letters without a rebuild', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dexa-adapt-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('a new department name and an edited sentence show in the next letter', async () => {
    await cp(BUILT_IN_TEMPLATES, join(folder, 'templates'), { recursive: true });
    const patientTemplate = join(folder, 'templates', 'nl', 'patient.yaml');
    await writeFile(patientTemplate, (await readFile(patientTemplate, 'utf8')).replace('Rookt u? Stop dan met roken.', 'Rookt u? Stoppen loont altijd.'));
    await writeFile(join(folder, 'dexa.yaml'), 'department:\n  name: Afdeling Nucleaire Geneeskunde Zuid\ntemplatesDir: templates\n');

    const run = await runDexa(['render', '--config', join(folder, 'dexa.yaml'), '--letter', 'patient', '--out', join(folder, 'out'), '--date', '2026-11-23', join(FIXTURES, '02-osteopenia-woman-58')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [file] = await readdir(join(folder, 'out'));
    const text = (await extractPdfText(await readFile(join(folder, 'out', file!)))).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('Afdeling Nucleaire Geneeskunde Zuid');
    expect(text).toContain('Rookt u? Stoppen loont altijd.');
  });

  it('a bad template stops the run before any letter is written', async () => {
    await cp(BUILT_IN_TEMPLATES, join(folder, 'templates'), { recursive: true });
    const gp = join(folder, 'templates', 'nl', 'gp.yaml');
    await writeFile(gp, (await readFile(gp, 'utf8')).replace('{{study.scanner}}', '{{study.scaner}}'));
    await writeFile(join(folder, 'dexa.yaml'), 'templatesDir: templates\n');
    const run = await runDexa(['render', '--config', join(folder, 'dexa.yaml'), '--out', join(folder, 'out'), FIXTURES]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`dexa: ${gp}: key 'intro': unknown name '{{study.scaner}}'\n`);
    await expect(readdir(join(folder, 'out'))).rejects.toThrow();
  });

  it('a bad configuration stops the run before any letter is written', async () => {
    await writeFile(join(folder, 'dexa.yaml'), 'signature:\n  name: ""\n');
    const run = await runDexa(['render', '--config', join(folder, 'dexa.yaml'), '--out', join(folder, 'out'), FIXTURES]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/dexa\.yaml: signature\.name:/);
    await expect(readdir(join(folder, 'out'))).rejects.toThrow();
  });
});
