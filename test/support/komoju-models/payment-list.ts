// KOMOJU PaymentList — komoju/komoju-node-sdk docs/Models/PaymentList.md (ad4cd39), the answer of
// GET /api/v1/payments (docs/Apis/PaymentsApi.md listPayments: query start_time, end_time,
// per_page, page, merchant_id, currency, external_order_num, status (comma-separated)).
import { paymentModel } from './payment.js';

export const paymentListModel = {
  resource: 'payment_list', // SDK PaymentList.resource: always `payment_list`
  data: [paymentModel], // SDK PaymentList.data: List of Payment, this page
  start_time: '2026-12-07T00:00:00Z' as string | null, // SDK PaymentList.start_time: Date
  end_time: '2026-12-07T12:00:00Z' as string | null, // SDK PaymentList.end_time: Date
  total: 1, // SDK PaymentList.total: records matching the query
  page: 1, // SDK PaymentList.page
  per_page: 10, // SDK PaymentList.per_page
  last_page: 1, // SDK PaymentList.last_page
};
