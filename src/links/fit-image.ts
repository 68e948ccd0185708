// LINE's Flex image component (the hero of a link card) takes images up to 1024 × 1024 px. A
// phone photo is larger, so uploads are scaled down to fit, in their own format (JPEG/PNG), and
// turned upright from their EXIF orientation first. sharp (libvips, shipped prebuilt in its npm
// package) does this in a few tens of milliseconds for a 12-megapixel photo. It is loaded on the
// first photo, not at startup: libvips adds about 30 MB to a process that may never see one.
import type { ImageMimeType } from './image-type.js';

const MAX_IMAGE_SIDE = 1024;

export interface FittedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/** The image within 1024 × 1024 px (unchanged bytes when it already fits and needs no rotation). */
export async function fitImage(bytes: Buffer, mimeType: ImageMimeType): Promise<FittedImage> {
  const { default: sharp } = await import('sharp');
  const { width, height, orientation } = await sharp(bytes).metadata();
  const upright = orientation === undefined || orientation === 1;
  if (width <= MAX_IMAGE_SIDE && height <= MAX_IMAGE_SIDE && upright) return { bytes, width, height };
  const pipeline = sharp(bytes).rotate().resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await (mimeType === 'image/png' ? pipeline.png() : pipeline.jpeg({ quality: 85, mozjpeg: true })).toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
