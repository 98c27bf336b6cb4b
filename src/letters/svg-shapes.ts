/**
 * The pictures' SVG read back as drawing steps: the few elements and attributes our own pictures
 * write (pictures/), nothing more. Anything else makes the reading give up (null), and the caller
 * draws the picture through a general SVG renderer instead.
 */

export interface Paint {
  fill: string | null;
  stroke: string | null;
  strokeWidth: number;
  dash: [number, number] | null;
}

export type Shape =
  | ({ kind: 'line'; x1: number; y1: number; x2: number; y2: number } & Paint)
  | ({ kind: 'rect'; x: number; y: number; width: number; height: number } & Paint)
  | ({ kind: 'circle'; cx: number; cy: number; r: number } & Paint)
  | ({ kind: 'path'; d: string; dx: number; dy: number } & Paint);

export interface PictureText {
  value: string;
  x: number;
  y: number;
  size: number;
  anchor: 'start' | 'middle' | 'end';
  bold: boolean;
  fill: string;
}

export interface PictureSteps {
  width: number;
  height: number;
  shapes: Shape[];
  texts: PictureText[];
}

const TOKEN = /<(\/?)([a-z]+)((?:\s+[a-zA-Z][a-zA-Z0-9-]*="[^"]*")*)\s*(\/?)>|([^<]+)/y;
const ATTRIBUTE = /([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"/g;
const NUMBER = /^-?\d+(\.\d+)?$/;
const COLOUR = /^#[0-9a-f]{6}$/;
const TRANSLATE = /^translate\((-?[\d.]+)[ ,](-?[\d.]+)\)$/;
/** M, L and Z with absolute coordinates: all the paths of the pictures */
const PATH = /^(?:[MLZ]|\s|-?\d+(?:\.\d+)?)+$/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** Attributes that name or describe an element and do not change how it looks. */
const DESCRIPTIVE = (name: string) => name === 'class' || name === 'xmlns' || name.startsWith('data-');

const SHAPE_ATTRIBUTES: Record<Shape['kind'], string[]> = {
  line: ['x1', 'y1', 'x2', 'y2'],
  rect: ['x', 'y', 'width', 'height'],
  circle: ['cx', 'cy', 'r'],
  path: ['d'],
};
const PAINT_ATTRIBUTES = new Set(['fill', 'stroke', 'stroke-width', 'stroke-dasharray']);

class Unknown extends Error {}

/** The steps of a picture drawn one to one (its viewBox its own size), or null when it holds anything else. */
export function readPictureSteps(svg: string): PictureSteps | null {
  try {
    return read(svg);
  } catch (error) {
    if (error instanceof Unknown) return null;
    throw error;
  }
}

function read(svg: string): PictureSteps {
  const shapes: Shape[] = [];
  const texts: PictureText[] = [];
  const offsets: [number, number][] = [];
  let size: { width: number; height: number } | null = null;
  let openText: Record<string, string> | null = null;
  let textValue = '';
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < svg.length) {
    const match = TOKEN.exec(svg);
    if (match === null) throw new Unknown();
    const [, closing, tag, attributeText, selfClosing, characters] = match;
    const name = tag ?? '';
    if (characters !== undefined) {
      if (openText === null) throw new Unknown();
      textValue += characters;
      continue;
    }
    if (openText !== null && !(closing && name === 'text')) throw new Unknown();
    const [dx, dy] = offsets.reduce(([ax, ay], [bx, by]) => [ax + bx, ay + by], [0, 0]);
    if (closing) {
      if (name === 'g') offsets.pop();
      else if (name === 'text' && openText !== null) {
        texts.push(textOf(openText, textValue, dx, dy));
        openText = null;
      } else if (name !== 'svg') throw new Unknown();
      continue;
    }
    const attributes = attributesOf(attributeText ?? '');
    switch (name) {
      case 'svg': {
        if (size !== null) throw new Unknown();
        const { width, height, viewBox } = attributes;
        if (viewBox !== `0 0 ${width} ${height}`) throw new Unknown();
        onlyKnown(attributes, ['width', 'height', 'viewBox', 'font-family']);
        size = { width: numberOf(width), height: numberOf(height) };
        break;
      }
      case 'g': {
        const transform = attributes['transform'];
        const translate = transform === undefined ? ['', '0', '0'] : TRANSLATE.exec(transform);
        if (translate === null) throw new Unknown();
        onlyKnown(attributes, ['transform']);
        if (selfClosing) break;
        offsets.push([numberOf(translate[1]), numberOf(translate[2])]);
        break;
      }
      case 'text':
        if (selfClosing) throw new Unknown();
        openText = attributes;
        textValue = '';
        break;
      case 'line':
      case 'rect':
      case 'circle':
      case 'path':
        if (!selfClosing) throw new Unknown();
        shapes.push(shapeOf(name, attributes, dx, dy));
        break;
      default:
        throw new Unknown();
    }
  }
  if (size === null || offsets.length > 0 || openText !== null) throw new Unknown();
  return { ...size, shapes, texts };
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(ATTRIBUTE)) attributes[name!] = value!;
  return attributes;
}

function onlyKnown(attributes: Record<string, string>, known: string[]): void {
  for (const name of Object.keys(attributes)) if (!DESCRIPTIVE(name) && !known.includes(name)) throw new Unknown();
}

function numberOf(value: string | undefined): number {
  if (value === undefined || !NUMBER.test(value)) throw new Unknown();
  return Number(value);
}

function colourOf(value: string | undefined, otherwise: string | null): string | null {
  if (value === undefined) return otherwise;
  if (value === 'none') return null;
  if (!COLOUR.test(value)) throw new Unknown();
  return value;
}

function shapeOf(kind: Shape['kind'], attributes: Record<string, string>, dx: number, dy: number): Shape {
  const geometry = SHAPE_ATTRIBUTES[kind];
  onlyKnown(attributes, [...geometry, ...PAINT_ATTRIBUTES]);
  const dash = attributes['stroke-dasharray'];
  const dashParts = dash?.split(' ').map(numberOf);
  if (dashParts !== undefined && dashParts.length !== 2) throw new Unknown();
  const paint: Paint = {
    // SVG paints an area black and leaves its outline off unless told otherwise
    fill: kind === 'line' ? null : colourOf(attributes['fill'], '#000000'),
    stroke: colourOf(attributes['stroke'], null),
    strokeWidth: attributes['stroke-width'] === undefined ? 1 : numberOf(attributes['stroke-width']),
    dash: dashParts === undefined ? null : [dashParts[0]!, dashParts[1]!],
  };
  const at = (name: string, shift: number) => numberOf(attributes[name]) + shift;
  switch (kind) {
    case 'line':
      return { kind, x1: at('x1', dx), y1: at('y1', dy), x2: at('x2', dx), y2: at('y2', dy), ...paint };
    case 'rect':
      return { kind, x: at('x', dx), y: at('y', dy), width: at('width', 0), height: at('height', 0), ...paint };
    case 'circle':
      return { kind, cx: at('cx', dx), cy: at('cy', dy), r: at('r', 0), ...paint };
    case 'path': {
      const d = attributes['d'];
      if (d === undefined || !PATH.test(d)) throw new Unknown();
      return { kind, d, dx, dy, ...paint };
    }
  }
}

function textOf(attributes: Record<string, string>, escaped: string, dx: number, dy: number): PictureText {
  onlyKnown(attributes, ['x', 'y', 'font-size', 'text-anchor', 'font-weight', 'fill']);
  const anchor = attributes['text-anchor'] ?? 'start';
  if (anchor !== 'start' && anchor !== 'middle' && anchor !== 'end') throw new Unknown();
  const weight = attributes['font-weight'];
  if (weight !== undefined && weight !== 'bold') throw new Unknown();
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(escaped)) throw new Unknown();
  const value = escaped.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]!);
  const fill = colourOf(attributes['fill'], '#000000');
  if (fill === null) throw new Unknown();
  return {
    value,
    x: numberOf(attributes['x']) + dx,
    y: numberOf(attributes['y']) + dy,
    size: numberOf(attributes['font-size']),
    anchor,
    bold: weight === 'bold',
    fill,
  };
}
