// Request bodies larger than their route takes are refused with 413 and the connection is closed
// at once. Express's body parsers refuse them too, but only after reading the whole upload off the
// socket (to keep the connection reusable), so a client could hold a connection — and our reading —
// for as long as it liked to send. This runs before any route, counting declared and streamed bytes.
import type { RequestHandler } from 'express';

const KB = 1024;

// The most each route reads (its own parser enforces the same or less). Longest prefix first.
const BODY_LIMITS: readonly [prefix: string, bytes: number][] = [
  ['/webhooks/line', 1024 * KB],
  ['/webhooks/komoju', 256 * KB],
  // Local mode's simulator sends phone photos.
  ['/dev/', 8 * 1024 * KB],
  // The Pay form with the buyer's details: a Japanese address is 9 bytes a character once form-encoded.
  ['/l/', 16 * KB],
  ['/sandbox/', 4 * KB],
];
// Every other route takes no body at all; a little slack for clients that send one anyway.
const DEFAULT_LIMIT = 4 * KB;
// After the 413 the connection is half-closed and what still arrives is discarded for at most this
// long, then it is dropped. Dropping it at once, with the upload still arriving, makes the kernel
// answer with a reset, and a reset discards the 413 from a client that has not read it yet (seen
// under load): the sender would learn nothing. A client that stops on the 413 closes sooner.
const LINGER_MS = 1000;

function bodyLimitFor(path: string): number {
  return BODY_LIMITS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? DEFAULT_LIMIT;
}

export const limitBodies: RequestHandler = (req, res, next) => {
  const limit = bodyLimitFor(req.path);
  const refuse = () => {
    req.removeListener('data', count);
    // Stop reading: the rest of the upload is never taken off the socket. (A route that answered
    // without reading the body would otherwise have Node read all of it to reuse the connection.)
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    res.set('Connection', 'close').status(413).type('text/plain').send('Payload too large');
    res.once('finish', () => {
      req.removeAllListeners('data');
      req.resume();
      req.socket.end();
      setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
    });
  };
  let received = 0;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) refuse();
  };
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    refuse();
    return;
  }
  // Counted alongside the route's parser once it starts reading: a 'data' listener of our own
  // attached earlier would start the flow before the parser listens, and it would miss bytes.
  req.once('resume', () => req.on('data', count));
  // A route that answered without reading a streamed body: Node would read the rest, of unknown
  // length and without 'data' events, to reuse the connection. Hang up instead.
  res.once('finish', () => {
    if (!req.complete && req.get('content-length') === undefined) req.socket.destroy();
  });
  next();
};
