import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { TrustProxy } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { limitBodies } from './body-limit.js';
import { isOperatorRequest } from './metrics-route.js';

export interface AppDeps {
  db: Database;
  log: Logger;
  /** Feature routers, mounted in order (webhooks first: they read raw bodies). */
  routers: Router[];
  isShuttingDown: () => boolean;
  /** The inbox worker cannot reach the database: the instance takes webhooks it cannot answer. */
  isWorkerStalled: () => boolean;
  /** TRUST_PROXY: whose X-Forwarded-For names the client (req.ip); false: nobody's. */
  trustProxy: TrustProxy;
  /** METRICS_TOKEN: who may read /readyz's details (unset: loopback callers). */
  metricsToken: string | undefined;
}

// A readiness probe must answer even when the database does not.
const PING_TIMEOUT_MS = 1_000;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(limitBodies);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready or not for anyone (a load balancer); why, and on what database, for the operator only.
  app.get('/readyz', async (req, res) => {
    const answer = (ready: boolean, detail: Record<string, string>) => {
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', ...(isOperatorRequest(req, deps.metricsToken) ? detail : {}) });
    };
    if (deps.isShuttingDown()) {
      answer(false, { reason: 'shutting down' });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.db.ping(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS);
        }),
      ]);
    } catch {
      answer(false, { reason: 'database unavailable', database: deps.db.kind });
      return;
    } finally {
      clearTimeout(timer);
    }
    if (deps.isWorkerStalled()) {
      answer(false, { reason: 'worker stalled', database: deps.db.kind });
      return;
    }
    answer(true, { database: deps.db.kind });
  });

  for (const router of deps.routers) app.use(router);

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    // limitBodies already answered (and closed the connection) while a parser was still reading.
    if (res.headersSent) return;
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) deps.log.error({ err: error }, 'request failed');
    res
      .status(status)
      .type('text/plain')
      .send(status === 413 ? 'Payload too large' : status < 500 ? 'Bad request' : 'Internal error');
  };
  app.use(onError);
  return app;
}
