import type { EventHandlers } from '../events/domain-events.js';
import { paymentsEventHandlers } from '../payments/payment-event-handlers.js';

/**
 * Every capability's domain event handlers, run by the event worker (src/events/event-worker.ts)
 * on every instance. A capability adds its own with one line here.
 */
export const eventHandlers: readonly EventHandlers[] = [paymentsEventHandlers];
