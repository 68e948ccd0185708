// KOMOJU Customer — komoju/komoju-node-sdk docs/Models/Customer.md (1544e52); the `data` of a
// customer.* event is assumed to be this model (the Event model documents only Payment `data`).
export const customerModel = {
  id: 'cus0123456789abcdefghijkl', // SDK Customer.id: 25-character id (the uuid)
  resource: 'customer', // SDK Customer.resource: always `customer`
  email: 'buyer@example.com' as string | null, // SDK Customer.email: or null
  source: { type: 'credit_card' } as unknown, // SDK Customer.source: Customer_source (scrubbed card)
  metadata: {} as Record<string, string>, // SDK Customer.metadata: Object
  created_at: '2026-12-07T08:58:00Z', // SDK Customer.created_at: Date
  // Customer.locale is optional.
};
