import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderQrPng } from '../../../src/links/qr.js';

const URL_TEXT = 'https://pay.example.com/l/AbCdEfGhIjKlMnOp';

function grey(png: PNG): Float64Array {
  const values = new Float64Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) values[i] = png.data[i * 4]!;
  return values;
}

/** Box-filter downscale plus deterministic noise: roughly what a forwarded, recompressed photo of it suffers. */
function degrade(png: PNG, factor: number, noise: number): { data: Uint8ClampedArray; width: number; height: number } {
  const source = grey(png);
  const width = Math.floor(png.width / factor);
  const height = Math.floor(png.height / factor);
  const data = new Uint8ClampedArray(width * height * 4);
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += source[(y * factor + dy) * png.width + x * factor + dx]!;
      const value = sum / (factor * factor) + (random() - 0.5) * 2 * noise;
      const offset = (y * width + x) * 4;
      data[offset] = data[offset + 1] = data[offset + 2] = value;
      data[offset + 3] = 255;
    }
  }
  return { data, width, height };
}

describe('QR code PNG', () => {
  it('decodes to exactly the URL, as rendered and after heavy downscaling with noise', async () => {
    const png = PNG.sync.read(await renderQrPng(URL_TEXT));
    expect(png.width).toBeGreaterThanOrEqual(500);
    expect(jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(URL_TEXT);
    const small = degrade(png, 4, 90);
    expect(jsqr.default(small.data, small.width, small.height)?.data).toBe(URL_TEXT);
  });

  it('is a PNG small enough to be LINE’s preview image too', async () => {
    const bytes = await renderQrPng(URL_TEXT);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBeLessThan(1024 * 1024);
  });
});
