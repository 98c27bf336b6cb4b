// svg-to-pdfkit ships no type declarations; these cover the parts the letters use.
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    /** the SVG's units are PDF points, not CSS pixels */
    assumePt?: boolean;
    preserveAspectRatio?: string;
    /** the pdfkit font name for an SVG text's family, weight and style */
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: { fauxBold: boolean; fauxItalic: boolean }) => string;
    warningCallback?: (message: string) => void;
  }
  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x?: number, y?: number, options?: SvgToPdfOptions): void;
}
