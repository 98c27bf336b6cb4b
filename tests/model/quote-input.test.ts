import { describe, expect, it } from 'vitest';
import { MAX_QUOTED_CHARACTERS, quoteInput, shortInput } from '../../src/model/quote-input.ts';

describe('quoting a value from a file', () => {
  it('quotes a short value as it is', () => {
    expect(quoteInput('L1-L4')).toBe("'L1-L4'");
    expect(shortInput('AP Spine')).toBe('AP Spine');
  });

  it('keeps at most 200 characters of a long value and says how long it was', () => {
    const quoted = quoteInput('9'.repeat(5_000_000));
    expect(quoted).toBe(`'${'9'.repeat(MAX_QUOTED_CHARACTERS)}…' (5000000 characters)`);
    expect(shortInput('x'.repeat(201))).toBe(`${'x'.repeat(200)}… (201 characters)`);
    expect(quoteInput('y'.repeat(200))).toBe(`'${'y'.repeat(200)}'`);
  });

  it('escapes control characters so a file cannot drive a terminal', () => {
    expect(quoteInput('a\u001b[31mb\u0007')).toBe("'a\\x1b[31mb\\x07'");
  });
});
