import { describe, expect, it } from 'vitest';
import { newOrderNumber, ORDER_NUMBER_ALPHABET } from '../../../src/payments/order-number.js';

describe('order numbers', () => {
  it('are 8 characters a buyer can read out: no 0/O, 1/I/L or U/V look-alikes', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L', 'U', 'V']) expect(ORDER_NUMBER_ALPHABET).not.toContain(ambiguous);
    const numbers = Array.from({ length: 2000 }, () => newOrderNumber());
    for (const number of numbers) expect(number).toMatch(/^[23456789ABCDEFGHJKMNPQRSTWXYZ]{8}$/);
    // Random, not a counter: 2,000 draws from 30^8 do not repeat.
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
