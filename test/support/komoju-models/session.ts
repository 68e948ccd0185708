// KOMOJU Session — komoju/komoju-node-sdk docs/Models/Session.md (ad4cd39), answered by
// POST /sessions and GET /sessions/{id} (docs/Apis/SessionsApi.md). Two modes the product uses:
// `payment` (a one-off payment; `payment` appears once completed) and `customer` (save a card;
// `customer_id` only in customer modes, no payment).
import { paymentModel } from './payment.js';

const common = {
  id: 'ses0123456789abcdefghijkl', // SDK Session.id: 25-character id
  resource: 'session', // SDK Session.resource: always `session`
  amount: 1000, // SDK Session.amount: integer
  currency: 'JPY', // SDK Session.currency: Currency
  session_url: 'https://komoju.com/sessions/ses0123456789abcdefghijkl', // SDK Session.session_url
  return_url: 'https://shop.example/l/abc/return' as string | null, // SDK Session.return_url
  default_locale: 'ja', // SDK Session.default_locale: Locale
  payment_methods: [{ type: 'credit_card' }] as unknown[], // SDK Session.payment_methods: List of PaymentMethod
  created_at: '2026-12-07T08:58:00Z', // SDK Session.created_at: Date
  cancelled_at: null as string | null, // SDK Session.cancelled_at: or null
  completed_at: '2026-12-07T09:00:00Z' as string | null, // SDK Session.completed_at: or null
  status: 'completed', // SDK Session.status: SessionStatus (pending completed cancelled)
  expired: false, // SDK Session.expired: Boolean
  merchant: { id: 'mer0123456789abcdefghijkl', name: 'Shop' } as unknown, // SDK Session.merchant: MerchantData
  metadata: { checkoutId: 'chk_0123456789' } as Record<string, string>, // SDK Session.metadata: Object
  line_items: [{ description: '商品', amount: 1000, quantity: 1 }] as unknown[], // SDK Session.line_items: optional, when given on create
  email: 'buyer@example.com', // SDK Session.email: optional, when given on create
};

export const paymentSessionModel = {
  ...common,
  mode: 'payment', // SDK Session.mode: SessionMode
  payment: paymentModel, // SDK Session.payment: optional Payment, once completed
  payment_data: { external_order_num: 'chk_0123456789' } as unknown, // SDK Session.payment_data: optional PaymentData
};

export const customerSessionModel = {
  ...common,
  mode: 'customer', // SDK Session.mode: SessionMode
  amount: 0, // customer mode makes no payment (CreateSessionRequestWithCustomerMode.md: amount optional)
  customer_id: 'cus0123456789abcdefghijkl', // SDK Session.customer_id: "Only present when mode includes customer"
};

export const sessionNullable = ['return_url', 'cancelled_at', 'completed_at'];
/** Optional in the model: present or absent depending on the create request and the state. */
export const sessionOptional = ['payment', 'payment_data', 'customer_id', 'line_items', 'email', 'secure_token', 'merchant_id'];
