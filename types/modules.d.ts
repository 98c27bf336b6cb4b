// dcmjs ships no type declarations; these cover the parts this project uses.
declare module 'dcmjs' {
  type NaturalDataset = Record<string, unknown>;
  type DenaturalDataset = Record<string, { vr: string; Value: unknown[] }>;

  class DicomDict {
    constructor(meta: DenaturalDataset);
    dict: DenaturalDataset;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }

  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMetaDictionary: {
        denaturalizeDataset(dataset: NaturalDataset): DenaturalDataset;
        naturalizeDataset(dataset: DenaturalDataset): NaturalDataset;
      };
      DicomMessage: {
        readFile(buffer: ArrayBuffer): { dict: DenaturalDataset; meta: DenaturalDataset };
      };
    };
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}

// fontkit ships no type declarations; the project opens fonts with it to hand them to pdfkit, and asks which characters a font can draw.
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): {
    layout: (...args: unknown[]) => unknown;
    hasGlyphForCodePoint(codePoint: number): boolean;
    ascent: number;
    unitsPerEm: number;
  };
}
