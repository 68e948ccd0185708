import type { EventHandlers } from '../events/domain-events.js';
import { linksEventHandlers } from '../links/captured-after-close.js';
import { paymentsEventHandlers } from '../payments/payment-event-handlers.js';
import { paymentsReconcileHandlers } from '../payments/reconcile/reconcile-handlers.js';
import { refundsEventHandlers } from '../refunds/event-handlers.js';
import { salesEventHandlers } from '../sales/event-handlers.js';

/**
 * Every capability's domain event handlers, run by the event worker (src/events/event-worker.ts)
 * on every instance. A capability adds its own with one line here.
 */
export const eventHandlers: readonly EventHandlers[] = [paymentsEventHandlers, paymentsReconcileHandlers, linksEventHandlers, refundsEventHandlers, salesEventHandlers];
