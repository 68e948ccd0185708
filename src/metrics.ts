import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SqlQuery } from './db/sql.js';

/**
 * What an operator watches of the core loop (GET /metrics, Prometheus text format). One registry
 * per server, so several servers in one process (tests) never share counters.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const callBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const perEventType = (name: string, help: string) => new Counter({ name, help, labelNames: ['type'] as const, registers });
  return {
    registry,
    eventsReceived: new Counter({ name: 'line_events_received_total', help: 'LINE webhook events received with a valid signature', registers }),
    eventsStored: new Counter({ name: 'line_events_stored_total', help: 'LINE events newly stored in the inbox (redeliveries of stored events not counted)', registers }),
    eventsAnswered: new Counter({
      name: 'line_events_answered_total',
      help: 'LINE events processed to the end, by how the answer went out (reply, push fallback, none needed)',
      labelNames: ['via'] as const,
      registers,
    }),
    eventsParked: new Counter({
      name: 'line_events_parked_total',
      help: 'LINE events set aside without an answer: unstorable as sent, or failed too often',
      labelNames: ['reason'] as const,
      registers,
    }),
    eventsFailed: new Counter({ name: 'line_event_attempts_failed_total', help: 'Processing attempts that failed and will be retried', registers }),
    webhookUnavailable: new Counter({ name: 'line_webhook_unavailable_total', help: 'LINE webhooks answered 503 because the inbox could not store them in time', registers }),
    inboxDepth: new Gauge({ name: 'line_inbox_depth', help: 'LINE events stored and not yet finished', registers }),
    inboxOldestAge: new Gauge({ name: 'line_inbox_oldest_pending_age_seconds', help: 'Age of the oldest unfinished LINE event (0 when none)', registers }),
    domainEventsHandled: perEventType('domain_events_handled_total', 'Domain events (payment facts, scheduled jobs) whose handlers all ran, by event type'),
    domainEventsFailed: perEventType('domain_event_attempts_failed_total', 'Domain event attempts where a handler failed and the event will be retried, by event type'),
    domainEventsParked: perEventType('domain_events_parked_total', 'Domain events set aside after their last failed attempt (DomainEvent.lastError says why), by event type'),
    domainEventsDue: new Gauge({ name: 'domain_events_due', help: 'Domain events due and not yet handled (scheduled ones count once due)', registers }),
    domainEventsOldestDueAge: new Gauge({
      name: 'domain_events_oldest_due_age_seconds',
      help: 'How long the oldest due, unhandled domain event has been due (0 when none)',
      registers,
    }),
    apiCalls: new Histogram({
      name: 'outbound_api_request_duration_seconds',
      help: 'Calls to the LINE and KOMOJU APIs: time to response headers, by API and outcome (HTTP status class or "error")',
      labelNames: ['api', 'outcome'] as const,
      buckets: callBuckets,
      registers,
    }),
    // A flash sale refuses most buyers by rule (sold out, held, rate-limited): normal, not an
    // outage. Only `buyer_requests_failed_total` (and 5xx) means something is broken.
    buyerRefused: new Counter({
      name: 'buyer_requests_refused_total',
      help: 'Buyer page views and Pay presses refused by a rule (closed, expired, used up, held by others, rate-limited, invalid field), by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    buyerFailed: new Counter({
      name: 'buyer_requests_failed_total',
      help: 'Buyer page views and Pay presses that failed (the payment provider did not open a session, or an error)',
      labelNames: ['reason'] as const,
      registers,
    }),
    apiErrors: new Counter({
      name: 'outbound_api_errors_total',
      help: 'Calls to the LINE and KOMOJU APIs that failed (network error or HTTP status ≥ 400)',
      labelNames: ['api', 'outcome'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Reads the inbox gauges from the database (at scrape time, so they cost nothing between scrapes). */
export async function refreshInboxGauges(metrics: Metrics, db: SqlQuery): Promise<void> {
  const [row] = await db.query<{ depth: number; oldest: number | null }>(
    `SELECT count(*)::float8 AS depth, extract(epoch FROM now() - min("receivedAt"))::float8 AS oldest
       FROM "LineEvent" WHERE "status" IN ('pending', 'replying', 'pushing')`,
  );
  metrics.inboxDepth.set(row?.depth ?? 0);
  metrics.inboxOldestAge.set(row?.oldest ?? 0);
}

/** Reads the domain event gauges from the database (at scrape time, shared by all instances). */
export async function refreshDomainEventGauges(metrics: Metrics, db: SqlQuery): Promise<void> {
  const [row] = await db.query<{ due: number; oldest: number | null }>(
    `SELECT count(*)::float8 AS due, extract(epoch FROM now() - min("nextAttemptAt"))::float8 AS oldest
       FROM "DomainEvent" WHERE "status" = 'pending' AND "nextAttemptAt" <= now()`,
  );
  metrics.domainEventsDue.set(row?.due ?? 0);
  metrics.domainEventsOldestDueAge.set(row?.oldest ?? 0);
}

interface UndiciRequest {
  origin?: string | URL;
}

/**
 * Times every LINE and KOMOJU API call at the wire: both clients use Node's fetch, whose HTTP
 * stack (undici) reports each request on diagnostics channels. `apis` maps an origin to its name.
 */
export function observeApiCalls(metrics: Metrics, apis: Map<string, string>): () => void {
  const started = new WeakMap<object, { api: string; at: number }>();
  const apiOf = (request: UndiciRequest) => apis.get(String(request.origin ?? '').replace(/\/+$/, ''));
  const finish = (request: object, outcome: string) => {
    const entry = started.get(request);
    if (!entry) return;
    started.delete(request);
    metrics.apiCalls.observe({ api: entry.api, outcome }, (performance.now() - entry.at) / 1000);
    if (outcome === 'error' || outcome === '4xx' || outcome === '5xx') metrics.apiErrors.inc({ api: entry.api, outcome });
  };
  const onCreate = (message: unknown) => {
    const request = (message as { request: UndiciRequest }).request;
    const api = apiOf(request);
    if (api) started.set(request, { api, at: performance.now() });
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    finish(request, `${Math.floor(response.statusCode / 100)}xx`);
  };
  const onError = (message: unknown) => finish((message as { request: object }).request, 'error');
  subscribe('undici:request:create', onCreate);
  subscribe('undici:request:headers', onHeaders);
  subscribe('undici:request:error', onError);
  return () => {
    unsubscribe('undici:request:create', onCreate);
    unsubscribe('undici:request:headers', onHeaders);
    unsubscribe('undici:request:error', onError);
  };
}
