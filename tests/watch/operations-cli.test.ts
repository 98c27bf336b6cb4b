import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureUids } from '../../src/fixtures/write-ge-sr.ts';
import { extractPdfText } from '../../src/letters/pdf-text.ts';
import { runDexa } from '../helpers/run-cli.ts';
import { drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

/** The text of every PDF in a folder, line breaks folded into spaces. */
async function lettersIn(folder: string): Promise<string[]> {
  const pdfs = (await filesUnder(folder)).filter((file) => file.endsWith('.pdf'));
  return Promise.all(pdfs.map(async (file) => (await extractPdfText(await readFile(file))).join('\n').replace(/\s+/g, ' ')));
}

describe('status and review, run as a user would', () => {
  let running: TestService;
  let paths: string[];
  const released = syntheticStudy('ops-released');
  const held = { ...syntheticStudy('ops-held', { neck: -2.8 }), context: undefined }; // no context: menopausal status unknown
  const heldToo = { ...syntheticStudy('ops-rejected'), context: undefined };

  beforeAll(async () => {
    running = await startTestService();
    for (const study of [released, held, heldToo]) await drop(running.inbox, study.id, studyFiles(study));
    await running.service.idle();
    await running.service.stop();
    paths = ['--inbox', running.inbox, '--out', running.out, '--db', running.database];
  }, 60_000);
  afterAll(() => running.close().catch(() => undefined));

  it('status counts files, studies and letters per state, and the oldest file still waiting', async () => {
    await mkdir(join(running.inbox, 'late'), { recursive: true });
    await writeFile(join(running.inbox, 'late', 'SR1.dcm'), 'waiting');
    const run = await runDexa(['status', ...paths, '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.files).toEqual({ stored: 6, context: 1 });
    expect(status.studies).toEqual({ held: 2, released: 1 });
    expect(status.letters).toEqual({ released: 2, review: 4 });
    expect(status.waiting).toBe(1);
    expect(status.oldestWaiting.path).toBe(join(running.inbox, 'late', 'SR1.dcm'));
    expect(status.unknownLetters).toEqual([]);
    expect(status.temporaryFiles).toEqual([]);
    expect((await runDexa(['status', ...paths])).stdout).toContain('waiting in the inbox: 1 (oldest ');
  });

  it('review list shows the held studies with their flags', async () => {
    const run = await runDexa(['review', 'list', ...paths]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(fixtureUids(held).study);
    expect(run.stdout).toContain('MENOPAUSE_UNKNOWN');
    expect(run.stdout).not.toContain(fixtureUids(released).study);
  });

  it('review approve releases the letters into out/letters, final, signed by the approver with the date, and records who did it', async () => {
    const uid = fixtureUids(held).study;
    const nobody = await runDexa(['review', 'approve', uid, ...paths]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("required option '--by <name>' not specified");
    const protocol = await lettersIn(join(running.out, 'letters'));
    expect(protocol).toHaveLength(2);
    for (const text of protocol) expect(text).toContain('volgens het afdelingsprotocol vrijgegeven zonder individuele beoordeling');
    // the reviewer names the version looked at: another one is refused, changing nothing
    const stale = await runDexa(['review', 'approve', uid, '--by', 'dr. Jansen', '--version', '2', ...paths]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('is at version 1, not version 2');
    expect((await readdir(join(running.out, 'letters'))).length).toBe(2);
    const run = await runDexa(['review', 'approve', uid, '--by', 'dr. Jansen', '--version', '1', ...paths]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(join(running.out, 'letters'))).length).toBe(4);
    const approved = (await lettersIn(join(running.out, 'letters'))).filter((text) => !text.includes('afdelingsprotocol'));
    expect(approved).toHaveLength(2);
    const today = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    for (const text of approved) {
      expect(text).toContain(`Beoordeeld en vrijgegeven door dr. Jansen op ${today}.`);
      expect(text).not.toContain('CONCEPT');
      expect(text).not.toContain('dr. A. de Voorbeeld');
    }
    const show = await runDexa(['review', 'show', uid, ...paths]);
    expect(show.stdout).toContain('state approved, version 1');
    expect(show.stdout).toMatch(/approved by dr\. Jansen: version 1 approved/);
    expect((await filesUnder(join(running.out, 'superseded'))).filter((f) => f.includes('draft-'))).toHaveLength(2);
    const db = new DatabaseSync(running.database, { readOnly: true });
    const journey = db
      .prepare("SELECT e.event, e.detail FROM file_events e JOIN instances i ON i.file_ref = e.file_ref JOIN studies s ON s.id = i.study_ref WHERE s.study_uid = ? AND i.source_name = 'SR1.dcm' ORDER BY e.id")
      .all(uid) as { event: string; detail: string }[];
    db.close();
    expect(journey.map((e) => e.event)).toEqual(['received', 'parsed', 'stored', 'moved', 'rendered', 'held', 'released']);
    expect(journey.at(-1)?.detail).toBe('approved by dr. Jansen');
  });

  it('review reject withdraws the letters with the reason in the audit log', async () => {
    const uid = fixtureUids(heldToo).study;
    const run = await runDexa(['review', 'reject', uid, '--reason', 'heup opnieuw meten', '--by', 'dr. Jansen', ...paths]);
    expect(run.code).toBe(0);
    expect(await filesUnder(join(running.out, 'review'))).toEqual([]);
    expect((await filesUnder(join(running.out, 'rejected'))).length).toBe(2);
    expect((await runDexa(['review', 'show', uid, ...paths])).stdout).toContain('rejected by dr. Jansen: version 1 rejected: heup opnieuw meten');
  });

  it('status lists a letter file the store does not know, and unfinished temporary files', async () => {
    const stray = join(running.out, 'letters', '2026-06-01_ONBEKEND_gp.pdf');
    const temporary = join(running.out, 'review', `2026-06-01_X_gp.pdf.partial-4194400`);
    await writeFile(stray, '%PDF-1.7 dropped here by hand');
    await writeFile(temporary, '%PDF-1.7 half');
    try {
      const status = JSON.parse((await runDexa(['status', ...paths, '--json'])).stdout);
      expect(status.unknownLetters).toEqual([stray]);
      expect(status.temporaryFiles).toEqual([temporary]);
      expect((await runDexa(['status', ...paths])).stdout).toContain(`letter files the store does not know: 1\n  ${stray}\nunfinished temporary files: 1\n  ${temporary}`);
    } finally {
      await unlink(stray);
      await unlink(temporary);
    }
  });

  it('status lists a recorded letter whose file is gone from out/', async () => {
    const [letter] = await filesUnder(join(running.out, 'letters'));
    const moved = `${letter!}.moved-by-hand`;
    await rename(letter!, moved);
    try {
      const status = JSON.parse((await runDexa(['status', ...paths, '--json'])).stdout);
      expect(status.missingLetters).toEqual([letter]);
      expect((await runDexa(['status', ...paths])).stdout).toContain(`recorded letters missing from out/: 1\n  ${letter!}`);
    } finally {
      await rename(moved, letter!);
    }
    expect(JSON.parse((await runDexa(['status', ...paths, '--json'])).stdout).missingLetters).toEqual([]);
  });

  it('refuses to approve a study that is not held, and an unknown one, clearly', async () => {
    const notHeld = await runDexa(['review', 'approve', fixtureUids(released).study, '--by', 'dr. Jansen', ...paths]);
    expect(notHeld.code).toBe(2);
    expect(notHeld.stderr).toContain('is not waiting for review (it is released)');
    const unknown = await runDexa(['review', 'reject', '9.9.9', '--reason', 'x', '--by', 'dr. Jansen', ...paths]);
    expect(unknown.stderr).toContain("no study '9.9.9'");
  });
});

describe('dexa watch refuses folders that would feed it its own output', () => {
  it.each([
    [['--inbox', '/tmp/dexa-x/in', '--out', '/tmp/dexa-x/in/out'], '--out (/tmp/dexa-x/in/out) and --inbox (/tmp/dexa-x/in) must not contain one another'],
    [['--inbox', '/tmp/dexa-x/in', '--out', '/tmp/dexa-x'], '--out (/tmp/dexa-x) and --inbox (/tmp/dexa-x/in) must not contain one another'],
    [['--inbox', '/tmp/dexa-x/in', '--out', '/tmp/dexa-x/out', '--db', '/tmp/dexa-x/in/dexa.db'], '--db (/tmp/dexa-x/in/dexa.db) must not be inside --inbox (/tmp/dexa-x/in)'],
  ])('%j', async (args, message) => {
    const run = await runDexa(['watch', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`dexa: ${message}\n`);
  });
});
