// KOMOJU RefundRequest — komoju/komoju-node-sdk docs/Models/RefundRequest.md (1544e52).
// Note: the request body (CreateRefundRequestRequest.md) documents `account_number` as an
// Integer, the answer model as a String; the create answers an empty body (PaymentsApi.md
// createRefundRequest: "null (empty response body)"), so this shape is seen only inside
// Payment.refund_requests.
export const refundRequestModel = {
  id: 'rr0123456789abcdefghijklm', // SDK RefundRequest.id: 25-character alphanumeric
  payment: 'pay0123456789abcdefghijkl', // SDK RefundRequest.payment: the payment's id
  customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ', // SDK RefundRequest.customer_name: half-width katakana
  bank_name: 'みずほ銀行', // SDK RefundRequest.bank_name
  bank_code: '0001', // SDK RefundRequest.bank_code: 4 digits, may be null
  branch_name: '本店', // SDK RefundRequest.branch_name
  branch_number: '001', // SDK RefundRequest.branch_number: 3-digit string
  account_number: '0123456', // SDK RefundRequest.account_number: 7-digit STRING
  description: null as string | null, // SDK RefundRequest.description: optional
  status: 'pending', // SDK RefundRequest.status: RefundRequestStatus
  created_at: '2026-12-07T09:30:00Z', // SDK RefundRequest.created_at: Date
};
