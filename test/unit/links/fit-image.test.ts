import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitImage } from '../../../src/links/fit-image.js';

describe('fitting a photo into LINE’s 1024 × 1024 px image component', () => {
  it('scales a large JPEG down, keeping its proportions and format', async () => {
    const photo = await sharp({ create: { width: 2048, height: 1536, channels: 3, background: '#c84' } })
      .jpeg()
      .toBuffer();
    const fitted = await fitImage(photo, 'image/jpeg');
    expect(fitted).toMatchObject({ width: 1024, height: 768 });
    expect(await sharp(fitted.bytes).metadata()).toMatchObject({ width: 1024, height: 768, format: 'jpeg' });
  });

  it('keeps a PNG a PNG, and turns a sideways phone photo upright', async () => {
    const tall = await sharp({ create: { width: 1200, height: 3000, channels: 4, background: '#0000' } })
      .png()
      .toBuffer();
    expect(await sharp((await fitImage(tall, 'image/png')).bytes).metadata()).toMatchObject({ width: 410, height: 1024, format: 'png' });
    // EXIF orientation 6: stored 2000 × 1000, shown rotated 90° as 1000 × 2000.
    const sideways = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#fff' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect(await fitImage(sideways, 'image/jpeg')).toMatchObject({ width: 512, height: 1024 });
  });

  it('leaves an image that already fits untouched', async () => {
    const small = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#123' } })
      .png()
      .toBuffer();
    expect((await fitImage(small, 'image/png')).bytes).toBe(small);
  });
});
