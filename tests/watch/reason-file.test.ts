import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drop, filesUnder, startTestService, type TestService } from '../helpers/service.ts';

describe('a quarantine reason file', () => {
  let running: TestService;
  beforeAll(async () => {
    running = await startTestService();
  });
  afterAll(() => running.close().catch(() => undefined));

  it('holds no raw control character from the file name', async () => {
    await drop(running.inbox, 'ward\u001b]0;pwned\u0007', [{ name: 'x\u001b[2J\u202e.dcm', bytes: 'not a DICOM file at all; '.repeat(10) }]);
    await running.service.idle();
    const reasonFile = (await filesUnder(join(running.out, 'quarantine'))).find((f) => f.endsWith('.reason.txt'));
    const reason = await readFile(reasonFile!, 'utf8');
    expect(reason).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/u);
    expect(reason).toContain('ward\\x1b]0;pwned\\x07/x\\x1b[2J\\u{202e}.dcm');
    expect(reason.trim().split('\n')).toHaveLength(2);
  });

  it('of a symbolic link holds no raw control character from the link\'s name either', async () => {
    await mkdir(join(running.inbox, 'links'), { recursive: true });
    await symlink('/nowhere', join(running.inbox, 'links', 'y\u001b[2J\u202e.dcm'));
    await running.service.idle();
    const reasonFile = (await filesUnder(join(running.out, 'quarantine'))).find((f) => f.includes('/links/') && f.endsWith('.reason.txt'));
    const reason = await readFile(reasonFile!, 'utf8');
    expect(reason).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/u);
    expect(reason).toContain('links/y\\x1b[2J\\u{202e}.dcm');
  });
});
