// The hourly reconciliation as a scheduled domain event: each `payments.reconcileDue` compares the
// ledger with the providers (reconcile-payments.ts) and records its successor an hour later. The
// successor's dedupe key names its hour, so two chains (a restart seeding a new one) merge into one.
import { recordDomainEvents, type DomainEvent, type EventHandlers, type HandlerDeps } from '../../events/domain-events.js';
import { reconcilePayments } from './reconcile-payments.js';

const HOUR_MS = 60 * 60 * 1000;
// A run reads payments created since the previous run began, less this overlap (clock skew, slow lists).
const OVERLAP_MS = 15 * 60 * 1000;
// The first run (no previous one) looks back a day.
const FIRST_LOOKBACK_MS = 24 * HOUR_MS;

/** The dedupe key of the run scheduled in `at`'s hour (UTC). */
export function reconcileDedupeKey(at: Date): string {
  return `payments.reconcileDue:${at.toISOString().slice(0, 13)}`;
}

async function reconcileDue(event: DomainEvent<'payments.reconcileDue'>, deps: HandlerDeps): Promise<void> {
  const now = deps.now();
  const since = event.payload.since ? new Date(event.payload.since) : new Date(now.getTime() - FIRST_LOOKBACK_MS);
  await reconcilePayments({ prisma: deps.prisma, config: deps.config, log: deps.log }, { since: Number.isNaN(since.getTime()) ? new Date(now.getTime() - FIRST_LOOKBACK_MS) : since, now });
  const next = new Date(now.getTime() + HOUR_MS);
  await deps.prisma.$transaction((tx) =>
    recordDomainEvents(tx, [
      {
        type: 'payments.reconcileDue',
        dedupeKey: reconcileDedupeKey(next),
        subjectId: null,
        merchantId: null,
        payload: { since: new Date(now.getTime() - OVERLAP_MS).toISOString() },
        notBefore: next,
      },
    ]),
  );
}

// After a start the first run waits a little: a restart loop must not become a reconciliation loop.
const FIRST_RUN_DELAY_MS = 10 * 60 * 1000;

/**
 * Makes sure a run is scheduled (each instance calls it at start): the run 10 minutes from now,
 * keyed by its hour, so instances starting together, or a chain already running, make one.
 */
export async function scheduleReconciliation(prisma: HandlerDeps['prisma'], now: Date): Promise<void> {
  const at = new Date(now.getTime() + FIRST_RUN_DELAY_MS);
  await prisma.$transaction((tx) =>
    recordDomainEvents(tx, [{ type: 'payments.reconcileDue', dedupeKey: reconcileDedupeKey(at), subjectId: null, merchantId: null, payload: { since: null }, notBefore: at }]),
  );
}

export const paymentsReconcileHandlers: EventHandlers = {
  name: 'payments-reconcile',
  on: { 'payments.reconcileDue': reconcileDue },
};
