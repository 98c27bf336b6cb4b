import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { fileProgress } from '../../src/cli/progress.ts';
import { DEFAULT_CONFIG } from '../../src/config/default-config.ts';
import { FIXTURE_STUDIES } from '../../src/fixtures/cases.ts';
import { loadTemplates } from '../../src/letters/load-templates.ts';
import { createLogger } from '../../src/watch/logger.ts';
import { startService } from '../../src/watch/service.ts';
import { drop, studyFiles } from '../helpers/service.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  return { lines, stream };
}

describe('logs and progress', () => {
  let root = '';
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('info logs name files, UIDs and outcomes, never a patient', async () => {
    root = await mkdtemp(join(tmpdir(), 'dexa-logs-'));
    const { lines, stream } = capture();
    const service = await startService({
      inbox: join(root, 'inbox'), out: join(root, 'out'), database: join(root, 'dexa.db'),
      config: { ...DEFAULT_CONFIG, watch: { ...DEFAULT_CONFIG.watch, settleSeconds: 0.2, quietSeconds: 0.1 } },
      templates: await loadTemplates('nl'),
      logger: pino({ level: 'info' }, stream),
    });
    const studies = FIXTURE_STUDIES.slice(0, 6);
    for (const study of studies) await drop(join(root, 'inbox'), `s-${study.patient.id}`, studyFiles(study));
    await service.idle();
    await service.stop();
    const log = lines.join('');
    expect(log).toContain('"msg":"instance stored"');
    expect(log).toMatch(/"msg":"letters (released|held for review)"/);
    for (const study of studies) {
      expect(log).not.toContain(study.patient.family);
      expect(log).not.toContain(study.patient.given);
      expect(log).not.toContain(study.patient.birthDate);
    }
  });

  it('log lines carry no raw control character from a file name, and still parse as the same JSON', () => {
    const { lines, stream } = capture();
    const name = 'x\u009b2J\u202e\u2028.dcm';
    createLogger('info', stream).info({ file: name }, 'file quarantined');
    const line = lines.join('');
    expect(line).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/u);
    expect((JSON.parse(line) as { file: string }).file).toBe(name);
  });

  it('a progress bar is drawn on a terminal only', () => {
    const tty = Object.assign(capture(), {});
    const terminal = Object.assign(tty.stream, { isTTY: true, columns: 80, cursorTo() { return true; }, clearLine() { return true; }, moveCursor() { return true; } }) as unknown as NodeJS.WriteStream;
    const bar = fileProgress(terminal);
    bar.update(10, 100);
    bar.update(100, 100);
    bar.stop();
    expect(tty.lines.join('')).toContain('files');
    const piped = capture();
    const quiet = fileProgress(piped.stream as unknown as NodeJS.WriteStream);
    quiet.update(10, 100);
    quiet.stop();
    expect(piped.lines).toEqual([]);
  });
});
