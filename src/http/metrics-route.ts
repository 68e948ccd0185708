import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { SqlQuery } from '../db/sql.js';
import type { Logger } from '../logger.js';
import { refreshDomainEventGauges, refreshInboxGauges, type Metrics } from '../metrics.js';

export interface MetricsRouteDeps {
  metrics: Metrics;
  db: SqlQuery;
  log: Logger;
  /** METRICS_TOKEN; unset: loopback only. */
  token: string | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Headers by which a proxy says whom it forwards for: any of them means the caller is not local. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'fastly-client-ip', 'x-cluster-client-ip'];

/**
 * The operator's view (/metrics, /readyz's details): a bearer METRICS_TOKEN or, when it is unset,
 * a loopback caller. The socket's own address (never a header); a request a same-host proxy
 * forwarded from outside (whatever header it names the client with) is not a loopback caller.
 */
export function isOperatorRequest(req: Request, token: string | undefined): boolean {
  if (token !== undefined) {
    const given = Buffer.from(/^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && FORWARDING_HEADERS.every((header) => req.get(header) === undefined);
}

/** GET /metrics: Prometheus text format, for a bearer METRICS_TOKEN or, when it is unset, loopback callers. */
export function metricsRouter(deps: MetricsRouteDeps): Router {
  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    if (!isOperatorRequest(req, deps.token)) {
      res
        .status(deps.token === undefined ? 403 : 401)
        .type('text/plain')
        .send(deps.token === undefined ? 'Forbidden' : 'Unauthorized');
      return;
    }
    try {
      await refreshInboxGauges(deps.metrics, deps.db);
      await refreshDomainEventGauges(deps.metrics, deps.db);
    } catch (error) {
      // The gauges keep their last values; the rest of the metrics still tell what is going on.
      deps.log.warn({ err: error }, 'metrics: inbox or domain event gauges could not be read');
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
