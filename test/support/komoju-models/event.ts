// KOMOJU Event — komoju/komoju-node-sdk docs/Models/Event.md (ad4cd39): the webhook body.
// `data` is documented only as a Payment; for subscription.* and customer.* events it is not
// documented (we assume the Subscription / Customer model and code defensively).
import { paymentModel } from './payment.js';

export const eventModel = {
  id: 'evt0123456789abcdefghijkl', // SDK Event.id: 25-character id
  type: 'payment.captured', // SDK Event.type: slug, e.g. payment.captured, payment.expired
  resource: 'event', // SDK Event.resource: always `event`
  created_at: '2026-12-07T09:00:01Z', // SDK Event.created_at: Date
  reason: null as string | null, // SDK Event.reason: or null
  data: paymentModel, // SDK Event.data: Payment
};
