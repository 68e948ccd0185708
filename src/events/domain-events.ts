// Payment facts as durable events: the one vocabulary the payment side records and the
// capabilities' handlers react to (a merchant notice, a receipt, a digest). Recording one is an
// INSERT in the caller's transaction, so the fact and its event are kept or lost together; the
// worker runs the handlers after commit, with retries, and a handler's side effect is keyed by the
// event id (a LINE push's X-Line-Retry-Key), so a retry after a crash never acts twice.
import { randomUUID } from 'node:crypto';
import type { LineBotClient } from '@line/bot-sdk';
import type { Config } from '../config.js';
import type { Prisma as Database } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

/**
 * What each event type carries. Ids only where the row can be re-read: handlers read current state.
 * @public the agreed event table that capabilities extend (CONTRIBUTING.md), kept exported.
 */
export interface DomainEventPayloads {
  /** A payment of a link was captured (first time only). */
  'payments.captured': { paymentId: string; linkId: string };
  /** A konbini / bank transfer / Pay-easy payment awaits the buyer's payment until `deadline`. */
  'payments.awaiting': { paymentId: string; linkId: string; deadline: string | null };
  /** An awaiting payment was not paid in time. */
  'payments.expired': { paymentId: string; linkId: string };
  'payments.cancelled': { paymentId: string; linkId: string };
  /** Refunded in full or in part: `refundId` is the provider's refund. */
  'payments.refunded': { paymentId: string; linkId: string; refundId: string; amount: number; full: boolean };
  'payments.chargeback': { paymentId: string; linkId: string; refundId: string; amount: number };
  /** Captured although the link had closed, filled up or expired by then (a race the provider can create). */
  'payments.capturedAfterClose': { paymentId: string; linkId: string; rule: 'inactive' | 'expired' | 'usedUp' | 'codeCap' };
  'subscriptions.started': { subscriptionId: string; linkId: string };
  'subscriptions.renewed': { subscriptionId: string; linkId: string; paymentId: string };
  'subscriptions.renewalFailed': { subscriptionId: string; linkId: string; paymentId: string | null };
  'subscriptions.cancelled': { subscriptionId: string; linkId: string };
  /** Scheduled (notBefore): one member's daily digest for the shop's local date `day` (YYYY-MM-DD). */
  'sales.digestDue': { merchantId: string; userId: string; day: string };
  /** Scheduled (notBefore): compare the ledger with the provider's and repair it; records the next run. */
  'payments.reconcileDue': { since: string | null };
  /** Scheduled (notBefore): read the provider again to learn what a refund, cancel or refund request whose answer was lost did. */
  'refunds.outcomeCheckDue': { attemptId: string };
}

export type DomainEventType = keyof DomainEventPayloads;

/** Every event type, as a value. @public the agreed list, extended beside the payloads (CONTRIBUTING.md). */
export const DOMAIN_EVENT_TYPES = [
  'payments.captured',
  'payments.awaiting',
  'payments.expired',
  'payments.cancelled',
  'payments.refunded',
  'payments.chargeback',
  'payments.capturedAfterClose',
  'subscriptions.started',
  'subscriptions.renewed',
  'subscriptions.renewalFailed',
  'subscriptions.cancelled',
  'sales.digestDue',
  'payments.reconcileDue',
  'refunds.outcomeCheckDue',
] as const satisfies readonly DomainEventType[];

export interface NewDomainEvent<T extends DomainEventType = DomainEventType> {
  type: T;
  /**
   * Which fact this is, unique across all events (e.g. `payments.captured:<paymentId>`): recording
   * the same fact again is a no-op, so redelivered webhooks and racing writers make one event.
   */
  dedupeKey: string;
  /** The row the event is about (payment, subscription), for look-ups and per-subject order. */
  subjectId: string | null;
  merchantId: string | null;
  payload: DomainEventPayloads[T];
  /** Run no earlier than this (a scheduled job); now when omitted. */
  notBefore?: Date;
}

/** A stored event as a handler receives it. */
export interface DomainEvent<T extends DomainEventType = DomainEventType> {
  id: string;
  type: T;
  subjectId: string | null;
  merchantId: string | null;
  payload: DomainEventPayloads[T];
  /** This attempt's number (1 on the first). */
  attempts: number;
  createdAt: Date;
}

type Transaction = Pick<Prisma.TransactionClient, 'domainEvent'>;

/**
 * Records events in the caller's transaction. Returns how many were new (a dedupe key seen
 * before is skipped, not an error).
 */
export async function recordDomainEvents(tx: Transaction, events: NewDomainEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const stored = await tx.domainEvent.createMany({
    data: events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      dedupeKey: event.dedupeKey,
      subjectId: event.subjectId,
      merchantId: event.merchantId,
      payload: event.payload,
      ...(event.notBefore ? { nextAttemptAt: event.notBefore } : {}),
    })),
    skipDuplicates: true,
  });
  return stored.count;
}

/** What a handler may use. `now` is the worker's clock (tests fix it). */
export interface HandlerDeps {
  prisma: Database;
  line: LineBotClient;
  config: Config;
  log: Logger;
  now: () => Date;
}

/**
 * Reacts to one event. It may run more than once for the same event (a crash after its side effect,
 * before the event is marked done), so its side effects are keyed by `event.id`: a LINE push passes
 * `retryKeyFor(<handlers name>, <event type>, event.id)` as its X-Line-Retry-Key (as
 * src/links/notify-link-creator.ts does). Throwing retries the event with backoff; after the
 * worker's last attempt it is parked with the error's first line.
 */
export type DomainEventHandler<T extends DomainEventType> = (event: DomainEvent<T>, deps: HandlerDeps) => Promise<void>;

/** A capability's handlers, registered beside its effects: `{ name: 'payments', on: { 'payments.captured': notifyCaptured } }`. */
export interface EventHandlers {
  /** Names the handlers in logs and retry keys; the capability's folder name. */
  name: string;
  on: { [T in DomainEventType]?: DomainEventHandler<T> };
}
