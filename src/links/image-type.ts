/** KOMOJU's limit for a payment link's product image. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export type ImageMimeType = 'image/jpeg' | 'image/png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// SOI marker followed by the first segment's marker byte.
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

/**
 * Identifies JPEG or PNG from the file's magic bytes; the declared content type and file name are
 * not trusted. Anything else (GIF, WebP, HEIC, truncated data) is null.
 */
export function detectImageType(bytes: Uint8Array): ImageMimeType | null {
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  return null;
}
