import type { EventHandlers } from '../events/domain-events.js';
import { PAYMENTS_HANDLERS, notifyCapture } from './notify-capture.js';
import { notifyAwaiting, notifyExpiredUnpaid } from './notify-awaiting.js';
import { notifyRenewalFailed } from './subscriptions/notify-renewal-failed.js';

/** The merchant's payment notices, as handlers of the payment facts recorded in this folder. */
export const paymentsEventHandlers: EventHandlers = {
  name: PAYMENTS_HANDLERS,
  on: {
    'payments.captured': notifyCapture,
    'payments.awaiting': notifyAwaiting,
    'payments.expired': notifyExpiredUnpaid,
    'subscriptions.renewalFailed': notifyRenewalFailed,
  },
};
