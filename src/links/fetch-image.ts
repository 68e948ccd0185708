import { HTTPFetchError, type LineBotClient } from '@line/bot-sdk';
import type { Readable } from 'node:stream';
import type { Prisma } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { fitImage } from './fit-image.js';
import { MAX_IMAGE_BYTES, detectImageType, type ImageMimeType } from './image-type.js';

export type FetchImageOutcome = { ok: true; mediaId: string; mimeType: ImageMimeType; size: number } | { ok: false; reason: 'too_large' | 'not_image' | 'unavailable' };

export interface FetchImageRequest {
  merchantId: string;
  /** The LINE message id of the photo the merchant sent. */
  messageId: string;
  /** Derived from the event being handled, so a retried event stores the image once. */
  mediaId: string;
}

// LINE's message ids are decimal numbers. Anything else would be spliced into the content API's
// path, where `../` or `#` could aim the request (with our channel token) at another endpoint.
const LINE_MESSAGE_ID = /^\d{1,32}$/;

/** Reads at most `limit` bytes; null as soon as the stream proves longer (it is then abandoned). */
async function readAtMost(stream: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      return null;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Downloads a photo the merchant sent from LINE's content API and keeps it as the merchant's
 * media. The type is read from the bytes (JPEG or PNG only), never from a header or name.
 */
export async function fetchImage(line: LineBotClient, prisma: Prisma, request: FetchImageRequest): Promise<FetchImageOutcome> {
  const stored = await prisma.media.findFirst({ where: { id: request.mediaId, merchantId: request.merchantId } });
  if (stored) return { ok: true, mediaId: stored.id, mimeType: stored.mimeType as ImageMimeType, size: stored.size };

  if (!LINE_MESSAGE_ID.test(request.messageId)) return { ok: false, reason: 'unavailable' };

  let bytes: Buffer | null;
  try {
    bytes = await readAtMost(await line.getMessageContent(request.messageId), MAX_IMAGE_BYTES);
  } catch (error) {
    // 404/410: the content expired or never existed; anything else is LINE being unwell (retry).
    if (error instanceof HTTPFetchError && error.status >= 400 && error.status < 500) return { ok: false, reason: 'unavailable' };
    throw error;
  }
  if (!bytes) return { ok: false, reason: 'too_large' };
  const mimeType = detectImageType(bytes);
  if (!mimeType) return { ok: false, reason: 'not_image' };
  try {
    bytes = (await fitImage(bytes, mimeType)).bytes;
  } catch {
    // The magic bytes said JPEG/PNG but the image does not decode.
    return { ok: false, reason: 'not_image' };
  }

  try {
    await prisma.media.create({
      data: { id: request.mediaId, merchantId: request.merchantId, mimeType, bytes: new Uint8Array(bytes), size: bytes.length },
    });
  } catch (error) {
    // A retried event already stored it (the id is derived from the event).
    if (!isUniqueViolation(error)) throw error;
  }
  return { ok: true, mediaId: request.mediaId, mimeType, size: bytes.length };
}
