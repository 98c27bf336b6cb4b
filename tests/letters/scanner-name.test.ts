import { describe, expect, it } from 'vitest';
import { scannerName } from '../../src/letters/scanner-name.ts';

describe('the scanner as a letter names it', () => {
  it.each([
    ['HOLOGIC', 'Horizon Ci', 'Hologic Horizon Ci'],
    ['HOLOGIC', 'Discovery SL', 'Hologic Discovery SL'],
    ['GE Healthcare', 'Lunar iDXA', 'GE Healthcare Lunar iDXA'],
    ['GE MEDICAL SYSTEMS', 'Lunar Prodigy', 'GE Healthcare Lunar Prodigy'],
    ['Hologic', 'Hologic Horizon W', 'Hologic Horizon W'],
    [null, 'Horizon Ci', 'Horizon Ci'],
    ['HOLOGIC', null, 'Hologic'],
    [null, null, ''],
  ])('%j + %j → %j', (manufacturer, model, name) => {
    expect(scannerName(manufacturer, model)).toBe(name);
  });
});
