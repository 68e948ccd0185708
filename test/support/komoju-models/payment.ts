// KOMOJU Payment — komoju/komoju-node-sdk docs/Models/Payment.md (ad4cd39). Also the `data` of a
// payment.* Event (docs/Models/Event.md: `data` is a Payment).
import { refundModel } from './refund.js';
import { refundRequestModel } from './refund-request.js';

export const paymentModel = {
  id: 'pay0123456789abcdefghijkl', // SDK Payment.id: 25-character alphanumeric
  resource: 'payment', // SDK Payment.resource: always `payment`
  status: 'captured', // SDK Payment.status: PaymentStatus (pending authorized captured refunded cancelled expired failed)
  amount: 1000, // SDK Payment.amount: integer before tax, smallest unit
  tax: 0, // SDK Payment.tax: integer
  customer: 'cus0123456789abcdefghijkl' as string | null, // SDK Payment.customer: customer UUID STRING, or null
  payment_deadline: '2026-12-10T14:59:59Z' as string | null, // SDK Payment.payment_deadline: Date, or null
  payment_details: { type: 'konbini', email: 'buyer@example.com' }, // SDK Payment.payment_details: ResponsePaymentDetailsAll (per method; `type` always)
  payment_method_fee: 190, // SDK Payment.payment_method_fee: integer
  total: 1190, // SDK Payment.total: integer (amount + tax + payment_method_fee)
  currency: 'JPY', // SDK Payment.currency: Currency
  description: null as string | null, // SDK Payment.description: may be null
  captured_at: '2026-12-07T09:00:00Z' as string | null, // SDK Payment.captured_at: Date, null until captured
  external_order_num: 'chk_0123456789' as string | null, // SDK Payment.external_order_num: merchant's order number
  metadata: { checkoutId: 'chk_0123456789' } as Record<string, string>, // SDK Payment.metadata: Object
  created_at: '2026-12-07T08:59:00Z', // SDK Payment.created_at: Date
  amount_refunded: 300, // SDK Payment.amount_refunded: integer
  locale: 'ja', // SDK Payment.locale: Locale
  session: 'ses0123456789abcdefghijkl' as string | null, // SDK Payment.session: 25-character id (null when no session, e.g. a subscription's charge)
  customer_family_name: '山田' as string | null, // SDK Payment.customer_family_name
  customer_given_name: '太郎' as string | null, // SDK Payment.customer_given_name
  mcc: '5999' as string | null, // SDK Payment.mcc: Merchant Category Code
  statement_descriptor: null as unknown, // SDK Payment.statement_descriptor: StatementDescriptor
  refunds: [refundModel], // SDK Payment.refunds: List of Refund, [] when none
  refund_requests: [refundRequestModel], // SDK Payment.refund_requests: List of RefundRequest, [] when none
  // Payment.platform_details is optional (Platform Model only; not served by the fake).
};

/** Fields documented "or null" / "may be null": the drift test accepts null in their place. */
export const paymentNullable = [
  'customer',
  'payment_deadline',
  'description',
  'captured_at',
  'external_order_num',
  'session',
  'customer_family_name',
  'customer_given_name',
  'mcc',
  'statement_descriptor',
];
