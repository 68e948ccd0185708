// KOMOJU Subscription — komoju/komoju-node-sdk docs/Models/Subscription.md (1544e52); answered by
// POST /subscriptions, GET /subscriptions/{id}, DELETE /subscriptions/{id}
// (docs/Apis/SubscriptionsApi.md). Listed by GET /subscriptions (SubscriptionList.md:
// start_time, end_time, per_page, page — no filter by customer).
import { subscriptionCustomerModel } from './subscription-customer.js';

export const subscriptionModel = {
  id: 'sub0123456789abcdefghijkl', // SDK Subscription.id: 25-character id
  resource: 'subscription', // SDK Subscription.resource: always `subscription`
  status: 'active', // SDK Subscription.status: string, e.g. active, cancelled
  amount: 980, // SDK Subscription.amount: integer
  currency: 'JPY', // SDK Subscription.currency: Currency
  customer: subscriptionCustomerModel, // SDK Subscription.customer: Subscription_customer OBJECT
  period: 'monthly', // SDK Subscription.period: SubscriptionPeriod (weekly monthly yearly)
  day: 7, // SDK Subscription.day: Integer, day of the period charged
  payment_details: { type: 'credit_card' } as unknown, // SDK Subscription.payment_details: Subscription_payment_details (scrubbed)
  retry_count: 0, // SDK Subscription.retry_count: Integer
  retry_at: null as string | null, // SDK Subscription.retry_at: Date, or null
  next_capture_at: '2027-01-07T00:00:00Z' as string | null, // SDK Subscription.next_capture_at: Date
  created_at: '2026-12-07T09:00:00Z', // SDK Subscription.created_at: Date
  ended_at: null as string | null, // SDK Subscription.ended_at: Date, or null while active
  metadata: { subscriptionId: 'sub_ours' } as Record<string, string>, // SDK Subscription.metadata: Object
  payments: ['pay0123456789abcdefghijkl'], // SDK Subscription.payments: "Array of payment UUIDs" — IDS, not objects
};

export const subscriptionNullable = ['retry_at', 'next_capture_at', 'ended_at'];
