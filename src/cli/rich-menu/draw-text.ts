import { GLYPHS, SPACE_ADVANCE, UNITS_PER_EM } from './glyphs.js';
import type { Contour, Raster, Rgb } from './raster.js';

type Point = [number, number];

// Pixels per straight piece when flattening curves: fine enough to look smooth at label sizes.
const CURVE_STEP_PX = 2;

function curveSteps(points: Point[], scale: number): number {
  let length = 0;
  for (let index = 1; index < points.length; index++) {
    length += Math.hypot(points[index]![0] - points[index - 1]![0], points[index]![1] - points[index - 1]![1]);
  }
  return Math.max(2, Math.min(32, Math.ceil((length * scale) / CURVE_STEP_PX)));
}

/** SVG path data (M L H V Q C Z, absolute, font units; letters may be omitted for repeats) → contours in font units. */
export function parseGlyphPath(path: string, scale: number): Point[][] {
  const tokens = path.match(/[MLHVQCZ]|-?\d+(?:\.\d+)?/g) ?? [];
  const contours: Point[][] = [];
  let current: Point[] = [];
  let position: Point = [0, 0];
  let index = 0;
  const next = () => Number(tokens[index++]);
  let command = '';
  while (index < tokens.length) {
    // A number where a command letter could be repeats the previous command (after M: L).
    if (/[A-Z]/.test(tokens[index]!)) command = tokens[index++]!;
    else if (command === 'M') command = 'L';
    switch (command) {
      case 'M':
        if (current.length > 0) contours.push(current);
        position = [next(), next()];
        current = [position];
        break;
      case 'L':
        position = [next(), next()];
        current.push(position);
        break;
      case 'H':
        position = [next(), position[1]];
        current.push(position);
        break;
      case 'V':
        position = [position[0], next()];
        current.push(position);
        break;
      case 'Q': {
        const control: Point = [next(), next()];
        const end: Point = [next(), next()];
        const start = position;
        const steps = curveSteps([start, control, end], scale);
        for (let step = 1; step <= steps; step++) {
          const t = step / steps;
          const u = 1 - t;
          current.push([u * u * start[0] + 2 * u * t * control[0] + t * t * end[0], u * u * start[1] + 2 * u * t * control[1] + t * t * end[1]]);
        }
        position = end;
        break;
      }
      case 'C': {
        const first: Point = [next(), next()];
        const second: Point = [next(), next()];
        const end: Point = [next(), next()];
        const start = position;
        const steps = curveSteps([start, first, second, end], scale);
        for (let step = 1; step <= steps; step++) {
          const t = step / steps;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const c = 3 * u * t * t;
          const d = t * t * t;
          current.push([a * start[0] + b * first[0] + c * second[0] + d * end[0], a * start[1] + b * first[1] + c * second[1] + d * end[1]]);
        }
        position = end;
        break;
      }
      case 'Z':
        if (current.length > 0) contours.push(current);
        current = [];
        command = '';
        break;
      default:
        throw new Error(`unsupported glyph path command ${command}`);
    }
  }
  if (current.length > 0) contours.push(current);
  return contours;
}

/** Width in pixels of `text` at `size` px per em; throws for a character without an embedded glyph. */
export function measureText(text: string, size: number): number {
  let advance = 0;
  for (const char of text) {
    if (char === ' ') advance += SPACE_ADVANCE;
    else {
      const glyph = GLYPHS[char];
      if (!glyph) throw new Error(`no embedded glyph for "${char}" (re-run scripts/extract-rich-menu-glyphs.py)`);
      advance += glyph.advance;
    }
  }
  return (advance * size) / UNITS_PER_EM;
}

/** Draws `text` centred on `centerX` with its baseline at `baselineY`. */
export function drawText(raster: Raster, text: string, options: { centerX: number; baselineY: number; size: number; color: Rgb }): void {
  const scale = options.size / UNITS_PER_EM;
  let penX = options.centerX - measureText(text, options.size) / 2;
  const contours: Contour[] = [];
  for (const char of text) {
    if (char === ' ') {
      penX += SPACE_ADVANCE * scale;
      continue;
    }
    const glyph = GLYPHS[char]!;
    for (const contour of parseGlyphPath(glyph.path, scale)) {
      contours.push(contour.map(([x, y]) => [penX + x * scale, options.baselineY - y * scale]));
    }
    penX += glyph.advance * scale;
  }
  raster.fill(contours, options.color);
}
