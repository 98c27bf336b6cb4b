/**
 * Manufacturers as their headers spell them, and as a letter names them. Hologic writes its
 * name in capitals; GE's `GE Healthcare` and the like are written as the company writes them.
 */
const MANUFACTURER_NAMES: Record<string, string> = {
  HOLOGIC: 'Hologic',
  'HOLOGIC, INC.': 'Hologic',
  'GE MEDICAL SYSTEMS': 'GE Healthcare',
};

/** `Hologic Horizon Ci`, `GE Healthcare Lunar iDXA`; a model that already names its maker is not prefixed twice. */
export function scannerName(manufacturer: string | null, model: string | null): string {
  const maker = manufacturer === null ? null : (MANUFACTURER_NAMES[manufacturer.trim().toUpperCase()] ?? manufacturer.trim());
  if (maker && model?.toLowerCase().startsWith(maker.toLowerCase())) return model.trim();
  return [maker, model?.trim()].filter(Boolean).join(' ');
}
