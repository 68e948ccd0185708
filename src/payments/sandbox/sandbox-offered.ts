// Which buttons the sandbox checkout shows for a session, from the payment types it was opened
// with, as KOMOJU's hosted page offers only a session's payment_types: "Pay" stands for a payment
// captured at once (card, PayPay…), "Pay at a konbini" for one awaiting payment until a deadline.
import { z } from 'zod';

/** Types paid after the checkout, at a store, ATM or bank: the sandbox's "later" payment. */
const PAID_LATER = ['konbini', 'bank_transfer', 'pay_easy'];

export interface SandboxOffer {
  pay: boolean;
  /** The type a "later" payment records (the first the session offers), or null when none is offered. */
  later: string | null;
}

/** The session's stored `paymentTypes` (null or unreadable: every type). */
export function sandboxOffer(paymentTypes: unknown): SandboxOffer {
  const parsed = z.array(z.string()).min(1).safeParse(paymentTypes);
  if (!parsed.success) return { pay: true, later: 'konbini' };
  return {
    pay: parsed.data.some((type) => !PAID_LATER.includes(type)),
    later: PAID_LATER.find((type) => parsed.data.includes(type)) ?? null,
  };
}
