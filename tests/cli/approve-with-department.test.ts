import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { DEXA, runDexa } from '../helpers/run-cli.ts';
import { drop, filesUnder, studyFiles } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';
import { until } from '../helpers/until.ts';

const DEPARTMENT = `
department:
  name: Afdeling Radiologie en Nucleaire Geneeskunde
  hospital: Ziekenhuis Rivierenland
  address: [Rivierweg 12, 4000 AB Tiel]
  phone: 0344 67 89 00
signature:
  name: dr. R. Smit
  title: radioloog
watch:
  settleSeconds: 0.2
  quietSeconds: 0.2
`;

const pdfPages = async (file: string) => extractPdfText(await readFile(file));

describe('a department runs the service on its configuration; a reviewer approves by name without repeating it', () => {
  let root = '';
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('the released letter carries the department\'s letterhead and the approver, no CONCEPT; the draft has CONCEPT on every page', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-department-'));
    await writeFile(join(root, 'dexa.config.yaml'), DEPARTMENT);
    const paths = ['--no-web', '--inbox', join(root, 'inbox'), '--out', join(root, 'out'), '--db', join(root, 'data', 'dexa.db')];
    // the configuration is found as ./dexa.config.yaml: nobody names it, not even the service
    const service = spawn(process.execPath, [DEXA, 'watch', ...paths], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEXA_LOG_LEVEL: 'warn' } });
    try {
      const held = { ...syntheticStudy('department-held'), context: undefined }; // menopausal status unknown: held
      await drop(join(root, 'inbox'), held.id, studyFiles(held));
      await until(async () => (await filesUnder(join(root, 'out', 'review'))).filter((f) => f.endsWith('.pdf')).length === 2, 60_000);

      // from another folder, with only the store: the configuration comes from the store
      const approve = await runDexa(['review', 'approve', fixtureUids(held).study, '--by', 'dr. M. de Jong', '--db', join(root, 'data', 'dexa.db')], { cwd: tmpdir() });
      expect(approve.stderr).toBe('');
      expect(approve.code).toBe(0);

      const released = (await filesUnder(join(root, 'out', 'letters'))).filter((f) => f.endsWith('.pdf'));
      expect(released).toHaveLength(2);
      for (const file of released) {
        const text = (await pdfPages(file)).join('\n').replace(/\s+/g, ' ');
        expect(text).toContain('Ziekenhuis Rivierenland');
        expect(text).toContain('Afdeling Radiologie en Nucleaire Geneeskunde');
        expect(text).toContain('Beoordeeld en vrijgegeven door dr. M. de Jong op');
        expect(text).not.toContain('CONCEPT');
        expect(text).not.toMatch(/Voorbeeldziekenhuis|de Voorbeeld/);
      }
      const drafts = (await filesUnder(join(root, 'out', 'superseded'))).filter((f) => f.includes('draft-') && f.endsWith('.pdf'));
      expect(drafts).toHaveLength(2);
      for (const file of drafts) {
        const pages = await pdfPages(file);
        for (const page of pages) expect(page.split('\n')).toContain('CONCEPT');
        expect(pages.join('\n')).toContain('Ziekenhuis Rivierenland');
      }
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.once('exit', resolve));
    }
  }, 120_000);
});
