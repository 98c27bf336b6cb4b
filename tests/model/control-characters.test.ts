import { describe, expect, it } from 'vitest';
import { escapeControls, escapeJsonControls } from '../../src/model/control-characters.ts';

describe('control characters in text output', () => {
  it.each([
    ['ESC and BEL', 'a\u001b[2Jb\u0007', 'a\\x1b[2Jb\\x07'],
    ['newline, tab, carriage return', 'a\nb\tc\rd', 'a\\x0ab\\x09c\\x0dd'],
    ['DEL and C1 (8-bit CSI)', '\u007f\u009b31m', '\\x7f\\x9b31m'],
    ['bidi override and isolate', 'abc\u202efdp.exe\u2066', 'abc\\u{202e}fdp.exe\\u{2066}'],
    ['line separator', 'a\u2028b', 'a\\u{2028}b'],
  ])('%s are escaped', (_, raw, escaped) => {
    expect(escapeControls(raw)).toBe(escaped);
  });

  it('leave printable text of every script alone', () => {
    const names = 'Noëlle Çelik 陈伟 محمد Παπαδόπουλος Иванов देवी 😀 ‑–—';
    expect(escapeControls(names)).toBe(names);
  });

  it('in JSON, are escaped so that the value reads back unchanged', () => {
    const value = { name: 'x\u001b\u009b\u202e\u2028y' };
    const json = escapeJsonControls(JSON.stringify(value));
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
