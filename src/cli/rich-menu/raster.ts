/** A closed outline in pixel coordinates. Shapes fill by the nonzero rule (reverse a contour to cut a hole). */
export type Contour = [number, number][];
export type Rgb = [number, number, number];

// Vertical samples per pixel row; horizontal coverage is computed exactly.
const SUBROWS = 5;

/** A small RGB raster with anti-aliased polygon filling: enough to draw the rich menu without a graphics library. */
export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let index = 0; index < width * height; index++) this.pixels.set(background, index * 3);
  }

  fill(contours: Contour[], color: Rgb): void {
    const edges: { x0: number; y0: number; x1: number; y1: number; dir: number }[] = [];
    let top = Infinity;
    let bottom = -Infinity;
    for (const contour of contours) {
      for (let index = 0; index < contour.length; index++) {
        const [ax, ay] = contour[index]!;
        const [bx, by] = contour[(index + 1) % contour.length]!;
        if (ay === by) continue;
        edges.push(ay < by ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 });
        top = Math.min(top, ay, by);
        bottom = Math.max(bottom, ay, by);
      }
    }
    if (edges.length === 0) return;
    const firstRow = Math.max(0, Math.floor(top));
    const lastRow = Math.min(this.height - 1, Math.ceil(bottom));
    const coverage = new Float32Array(this.width + 1);
    for (let row = firstRow; row <= lastRow; row++) {
      coverage.fill(0);
      let touched = false;
      for (let sub = 0; sub < SUBROWS; sub++) {
        const y = row + (sub + 0.5) / SUBROWS;
        const crossings: { x: number; dir: number }[] = [];
        for (const edge of edges) {
          if (y < edge.y0 || y >= edge.y1) continue;
          crossings.push({ x: edge.x0 + ((y - edge.y0) / (edge.y1 - edge.y0)) * (edge.x1 - edge.x0), dir: edge.dir });
        }
        if (crossings.length < 2) continue;
        crossings.sort((a, b) => a.x - b.x);
        let winding = 0;
        for (let index = 0; index < crossings.length - 1; index++) {
          winding += crossings[index]!.dir;
          if (winding !== 0) {
            this.addSpan(coverage, crossings[index]!.x, crossings[index + 1]!.x, 1 / SUBROWS);
            touched = true;
          }
        }
      }
      if (touched) this.blendRow(row, coverage, color);
    }
  }

  private addSpan(coverage: Float32Array, from: number, to: number, weight: number): void {
    const start = Math.max(0, from);
    const end = Math.min(this.width, to);
    if (end <= start) return;
    const firstPixel = Math.floor(start);
    const lastPixel = Math.min(this.width - 1, Math.floor(end));
    if (firstPixel === lastPixel) {
      coverage[firstPixel]! += (end - start) * weight;
      return;
    }
    coverage[firstPixel]! += (firstPixel + 1 - start) * weight;
    for (let pixel = firstPixel + 1; pixel < lastPixel; pixel++) coverage[pixel]! += weight;
    if (lastPixel < this.width) coverage[lastPixel]! += (end - lastPixel) * weight;
  }

  private blendRow(row: number, coverage: Float32Array, color: Rgb): void {
    for (let x = 0; x < this.width; x++) {
      const alpha = Math.min(1, coverage[x]!);
      if (alpha <= 0) continue;
      const offset = (row * this.width + x) * 3;
      for (let channel = 0; channel < 3; channel++) {
        this.pixels[offset + channel] = Math.round(this.pixels[offset + channel]! * (1 - alpha) + color[channel]! * alpha);
      }
    }
  }
}

/** A circle (or, reversed, a hole) as a polygon fine enough to look round at any size here. */
export function circle(cx: number, cy: number, rx: number, ry = rx, reverse = false): Contour {
  const steps = Math.max(24, Math.ceil(Math.max(rx, ry) * 1.5));
  const points: Contour = [];
  for (let index = 0; index < steps; index++) {
    const angle = ((reverse ? -index : index) / steps) * Math.PI * 2;
    points.push([cx + Math.cos(angle) * rx, cy + Math.sin(angle) * ry]);
  }
  return points;
}

export function rectangle(x: number, y: number, width: number, height: number): Contour {
  return [
    [x, y],
    [x + width, y],
    [x + width, y + height],
    [x, y + height],
  ];
}

export function roundedRectangle(x: number, y: number, width: number, height: number, radius: number): Contour {
  const points: Contour = [];
  const corners: [number, number, number][] = [
    [x + width - radius, y + radius, -Math.PI / 2],
    [x + width - radius, y + height - radius, 0],
    [x + radius, y + height - radius, Math.PI / 2],
    [x + radius, y + radius, Math.PI],
  ];
  for (const [cx, cy, start] of corners) {
    for (let step = 0; step <= 8; step++) {
      const angle = start + (step / 8) * (Math.PI / 2);
      points.push([cx + Math.cos(angle) * radius, cy + Math.sin(angle) * radius]);
    }
  }
  return points;
}
