import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { detectImageType } from '../links/image-type.js';
import { linkPageUrl } from '../links/link-urls.js';
import { renderQrPng } from '../links/qr.js';
import { isSlug } from '../links/slug.js';
import type { RouteFactory } from './route-deps.js';

const MEDIA_ID = /^[A-Za-z0-9_-]{1,64}$/;

function etagOf(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/** Sends immutable bytes with validators, answering 304 when the client already has them. */
function sendCached(res: Response, ifNoneMatch: string | undefined, bytes: Uint8Array, mimeType: string, maxAgeSeconds: number): void {
  const etag = etagOf(bytes);
  res.set({
    ETag: etag,
    'Cache-Control': `public, max-age=${maxAgeSeconds}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
  });
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    res.status(304).end();
    return;
  }
  res.type(mimeType).send(Buffer.from(bytes));
}

function notFound(res: Response): void {
  res.status(404).set('X-Content-Type-Options', 'nosniff').type('text/plain').send('Not found');
}

/**
 * Public assets of links: the QR code PNG (rendered once per link and PUBLIC_BASE_URL, then served
 * from the row) and product images. Both are addressed by unguessable ids and served with nosniff.
 */
export const linkAssetRoutes: RouteFactory = ({ db, config }) => {
  const router = Router();
  const { prisma } = db;

  router.get('/qr/:slug.png', async (req, res) => {
    const { slug } = req.params;
    if (!isSlug(slug)) return notFound(res);
    const link = await prisma.link.findUnique({ where: { slug }, select: { id: true, qrPng: true, qrUrl: true } });
    if (!link) return notFound(res);
    const url = linkPageUrl(config.publicBaseUrl, slug);
    let png = link.qrPng;
    // Missing, or made under an older PUBLIC_BASE_URL (an ngrok address, another local PORT).
    if (!png || link.qrUrl !== url) {
      png = new Uint8Array(await renderQrPng(url));
      // Rendering is deterministic, so racing renderers store the same bytes; later requests read them.
      // In SQL, so "updatedAt" keeps dating the last edit of the terms (links/captured-after-close.ts).
      await db.query(`UPDATE "Link" SET "qrPng" = $2, "qrUrl" = $3 WHERE "id" = $1`, [link.id, png, url]);
    }
    // The encoded URL follows PUBLIC_BASE_URL, so the bytes (and ETag) can change: cache for a day, not forever.
    sendCached(res, req.get('if-none-match'), png, 'image/png', 86_400);
  });

  router.get('/media/:id', async (req, res) => {
    const { id } = req.params;
    if (!MEDIA_ID.test(id)) return notFound(res);
    const media = await prisma.media.findUnique({ where: { id }, select: { bytes: true } });
    if (!media) return notFound(res);
    // The type is re-derived from the bytes so nothing stored can be served as anything but an image.
    const mimeType = detectImageType(media.bytes);
    if (!mimeType) return notFound(res);
    sendCached(res, req.get('if-none-match'), media.bytes, mimeType, 31_536_000);
  });

  return router;
};
