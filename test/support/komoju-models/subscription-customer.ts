// KOMOJU Subscription_customer — komoju/komoju-node-sdk docs/Models/Subscription_customer.md
// (ad4cd39): the `customer` of a Subscription. NOT the Customer model: `id` is the customer's
// internal NUMBER; the id we know (the session's customer_id, Payment.customer) is `uuid`.
export const subscriptionCustomerModel = {
  id: 4211, // SDK Subscription_customer.id: Integer, internal numeric id
  uuid: 'cus0123456789abcdefghijkl', // SDK Subscription_customer.uuid: 25-character id
  merchant_id: 77, // SDK Subscription_customer.merchant_id: Integer
  created_at: '2026-12-07T08:58:00Z', // SDK Subscription_customer.created_at: Date
  updated_at: '2026-12-07T08:58:00Z', // SDK Subscription_customer.updated_at: Date
  email: 'buyer@example.com' as string | null, // SDK Subscription_customer.email: or null
  currency: 'JPY', // SDK Subscription_customer.currency: Currency
  locale: 'ja', // SDK Subscription_customer.locale: Locale
  name: null as string | null, // SDK Subscription_customer.name: or null
  phone: null as string | null, // SDK Subscription_customer.phone: or null
  archived_at: null as string | null, // SDK Subscription_customer.archived_at: or null
};

export const subscriptionCustomerNullable = ['email', 'name', 'phone', 'archived_at'];
