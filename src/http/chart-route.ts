// GET /charts/<token>.png: a link's sales picture for the image message `summary` sends
// (sales/chart-picture.ts); 404 when the token grants none. Never cached, so a member's removal
// is never outlived by a copy.
import express from 'express';
import { chartPicture } from '../sales/chart-picture.js';
import type { RouteFactory } from './route-deps.js';

export const chartRoutes: RouteFactory = ({ db, config }) => {
  const router = express.Router();
  router.get('/charts/:token.png', async (req, res) => {
    const png = await chartPicture(db.prisma, config.appSecret, req.params.token);
    if (!png) {
      res.status(404).set({ 'Cache-Control': 'no-store' }).type('text/plain').send('Not found');
      return;
    }
    res.status(200).set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'no-referrer' }).send(png);
  });
  return router;
};
