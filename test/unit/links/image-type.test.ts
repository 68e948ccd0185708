import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, detectImageType } from '../../../src/links/image-type.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

const PNG_HEADER = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('detectImageType', () => {
  it.each<[label: string, data: Uint8Array, expected: 'image/jpeg' | 'image/png' | null]>([
    ['JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46), 'image/jpeg'],
    ['JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66), 'image/jpeg'],
    ['JPEG (bare SOI + marker)', bytes(0xff, 0xd8, 0xff), 'image/jpeg'],
    ['PNG', bytes(...PNG_HEADER, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52), 'image/png'],
    ['PNG (signature only)', bytes(...PNG_HEADER), 'image/png'],
    ['empty', bytes(), null],
    ['truncated JPEG', bytes(0xff, 0xd8), null],
    ['truncated PNG', bytes(...PNG_HEADER.slice(0, 7)), null],
    ['PNG with a corrupted byte (CRLF converted)', bytes(0x89, 0x50, 0x4e, 0x47, 0x0a, 0x1a, 0x0a, 0x00), null],
    ['GIF', new TextEncoder().encode('GIF89a\x01\x00'), null],
    ['WebP', new TextEncoder().encode('RIFF\x00\x00\x00\x00WEBPVP8 '), null],
    ['BMP', new TextEncoder().encode('BM\x00\x00\x00\x00'), null],
    ['PDF', new TextEncoder().encode('%PDF-1.7'), null],
    ['SVG text', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['HTML claiming to be JPEG', new TextEncoder().encode('<html>image.jpg</html>'), null],
    ['JPEG signature not at the start', bytes(0x00, 0xff, 0xd8, 0xff), null],
  ])('%s → %s', (_label, data, expected) => {
    expect(detectImageType(data)).toBe(expected);
  });

  it('reads a Buffer (a Uint8Array) too', () => {
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
  });

  it('looks at the bytes of a subarray view, not its underlying buffer', () => {
    const backing = bytes(0x00, 0x00, ...PNG_HEADER);
    expect(detectImageType(backing.subarray(2))).toBe('image/png');
  });
});

describe('MAX_IMAGE_BYTES', () => {
  it('is KOMOJU’s 2 MB', () => {
    expect(MAX_IMAGE_BYTES).toBe(2_097_152);
  });
});
