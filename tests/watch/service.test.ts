import { appendFile, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drop, filesUnder, startTestService, studyFiles, type TestService } from '../helpers/service.ts';
import { syntheticStudy } from '../helpers/studies.ts';

describe('the watcher, on real files in a temporary inbox', () => {
  let running: TestService | null = null;
  afterEach(async () => {
    await running?.close();
    running = null;
  });

  it('does not read a file that is still being written in chunks', async () => {
    running = await startTestService({ settleSeconds: 1 });
    const [first, second, context] = studyFiles(syntheticStudy('slow'));
    const path = join(running.inbox, 'slow', 'SR1.dcm');
    await mkdir(join(running.inbox, 'slow'), { recursive: true });
    const bytes = first!.bytes;
    const chunk = Math.ceil(bytes.length / 8);
    await writeFile(path, bytes.subarray(0, chunk));
    for (let offset = chunk; offset < bytes.length; offset += chunk) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // slower than a poll, faster than the settle time
      expect(running.count('SELECT COUNT(*) AS n FROM files')).toBe(0);
      await appendFile(path, bytes.subarray(offset, offset + chunk));
    }
    await drop(running.inbox, 'slow', [second!, context!]);
    await running.service.idle();
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'stored' AND moved = 1")).toBe(2);
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'quarantined'")).toBe(0);
    expect(await filesUnder(running.inbox)).toEqual([]);
  });

  it('takes 100 files dropped at once: all archived, every study with both letters', async () => {
    running = await startTestService();
    const studies = Array.from({ length: 50 }, (_, i) => syntheticStudy(`bulk-${i}`, { neck: -1.0 - (i % 20) / 10 }));
    await Promise.all(studies.map((study) => drop(running!.inbox, study.id, studyFiles(study))));
    await running.service.idle();
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'stored' AND moved = 1")).toBe(100);
    expect(running.count('SELECT COUNT(*) AS n FROM studies WHERE version = 1')).toBe(50);
    const archived = (await filesUnder(join(running.out, 'archive'))).filter((f) => f.endsWith('.dcm'));
    expect(archived).toHaveLength(100);
    const letters = [...(await filesUnder(join(running.out, 'letters'))), ...(await filesUnder(join(running.out, 'review')))];
    expect(letters.filter((f) => f.endsWith('.pdf'))).toHaveLength(100);
    expect(await filesUnder(running.inbox)).toEqual([]);
  }, 120_000);

  it('quarantines a corrupt file with its reason while the others go on', async () => {
    running = await startTestService();
    const study = syntheticStudy('mixed');
    const [good1, good2, context] = studyFiles(study);
    const broken = Uint8Array.from(good2!.bytes);
    broken[129] = 0x58; // DICM → DXCM: not incomplete (that would wait), unreadable
    await drop(running.inbox, 'mixed', [good1!, { name: 'broken.dcm', bytes: broken }, good2!, context!]);
    await running.service.idle();
    const quarantined = await filesUnder(join(running.out, 'quarantine'));
    expect(quarantined.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['broken.dcm', 'broken.dcm.reason.txt']);
    const reason = await readFile(quarantined.find((f) => f.endsWith('.reason.txt'))!, 'utf8');
    expect(reason).toContain('mixed/broken.dcm');
    expect(reason).toMatch(/not a DICOM file/);
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'stored'")).toBe(2);
    expect((await filesUnder(join(running.out, 'letters'))).length).toBe(2);
    const row = running.row<{ id: number }>("SELECT id FROM files WHERE outcome = 'quarantined'")!;
    expect((await running.store.files.events(row.id)).map((e) => e.event)).toEqual(['received', 'quarantined', 'moved']);
    const stored = running.row<{ id: number }>("SELECT id FROM files WHERE outcome = 'stored' ORDER BY id LIMIT 1")!;
    expect((await running.store.files.events(stored.id)).map((e) => e.event)).toEqual(['received', 'parsed', 'stored', 'moved', 'rendered', 'released']);
  });

  it('refuses an export over the configured size limit as LIMIT_EXCEEDED, the other files of its study going on', async () => {
    running = await startTestService({}, undefined, { limits: { maxFileBytes: 4096 } });
    const study = syntheticStudy('limited');
    const files = studyFiles(study);
    const big = files.find((file) => file.bytes.length > 4096)!;
    await drop(running.inbox, 'limited', files);
    await running.service.idle();
    const quarantined = await filesUnder(join(running.out, 'quarantine'));
    expect(quarantined.map((f) => f.slice(f.lastIndexOf('/') + 1))).toContain(`${big.name}.reason.txt`);
    const reason = await readFile(quarantined.find((f) => f.endsWith(`${big.name}.reason.txt`))!, 'utf8');
    expect(reason).toMatch(/LIMIT_EXCEEDED: the file is \d+ bytes, more than the limit of 4096; it was not read/);
  });

  it('takes the same file twice as one instance: one letter each, the copy archived as a duplicate', async () => {
    running = await startTestService();
    const files = studyFiles(syntheticStudy('twice'));
    await drop(running.inbox, 'first', files);
    await running.service.idle();
    await drop(running.inbox, 'again', files.slice(0, 1));
    expect(files.map((f) => f.name)).toEqual(['SR1.dcm', 'SR2.dcm', 'context.json']);
    await running.service.idle();
    expect(running.count('SELECT COUNT(*) AS n FROM instances')).toBe(2);
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'duplicate' AND moved = 1")).toBe(1);
    expect((await filesUnder(join(running.out, 'archive'))).some((f) => f.includes('/duplicates/again/SR1.dcm'))).toBe(true);
    expect(running.count('SELECT COUNT(*) AS n FROM letters')).toBe(2);
    expect(await filesUnder(join(running.out, 'letters'))).toHaveLength(2);
  });

  it('archives notes beside the exports unread, and records them', async () => {
    running = await startTestService();
    await drop(running.inbox, 'notes', [{ name: 'README.md', bytes: '# not an export' }]);
    await running.service.idle();
    expect(running.count("SELECT COUNT(*) AS n FROM files WHERE outcome = 'ignored' AND moved = 1")).toBe(1);
    expect((await filesUnder(join(running.out, 'archive'))).some((f) => f.endsWith('/not-exports/notes/README.md'))).toBe(true);
  });
});
