import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/readers/parse-decimal.ts';

describe('parseDecimal', () => {
  it.each([
    ['-0.9', -0.9], ['-0,9', -0.9], ['\u22120.9', -0.9], [' 1.6 ', 1.6], ['+2.0', 2], ['0.935', 0.935], ['89', 89], ['-2,5', -2.5],
  ])('reads %j as %d', (raw, value) => expect(parseDecimal(raw)).toBe(value));

  it.each(['', 'abc', '1.2.3', '1,234.5', '-', '.5', '1e3', 'NaN', '- 1.0', '0x10'])('refuses %j rather than guess', (raw) =>
    expect(parseDecimal(raw)).toBeNull());

  it('gives null for an absent value', () => {
    expect(parseDecimal(undefined)).toBeNull();
    expect(parseDecimal(null)).toBeNull();
  });
});
