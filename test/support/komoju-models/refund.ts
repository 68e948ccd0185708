// KOMOJU Refund — komoju/komoju-node-sdk docs/Models/Refund.md (ad4cd39).
export const refundModel = {
  id: 'rf0123456789abcdefghijklm', // SDK Refund.id: 25-character alphanumeric
  resource: 'refund', // SDK Refund.resource: always `refund`
  amount: 300, // SDK Refund.amount: integer, tax included, smallest unit
  currency: 'JPY', // SDK Refund.currency: Currency
  payment: 'pay0123456789abcdefghijkl', // SDK Refund.payment: the payment's 25-character id
  description: 'Partial refund', // SDK Refund.description: string
  created_at: '2026-12-07T09:30:00Z', // SDK Refund.created_at: Date
  chargeback: false, // SDK Refund.chargeback: Boolean, a refund made by a chargeback
  // Refund.refund_type and Refund.platform_details are optional (not served by the fake).
};
