// A short order number a buyer can read out to the seller over the phone or in chat: 8 characters
// from an alphabet without look-alikes (no 0/O, 1/I/L, U/V), stored on the checkout and sent to
// KOMOJU as payment_data.external_order_num. 30^8 ≈ 6.6×10^11 numbers; the column is unique.
import { randomInt } from 'node:crypto';

export const ORDER_NUMBER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
const ORDER_NUMBER_LENGTH = 8;

/** A fresh random order number, e.g. "K7QM4XP2". */
export function newOrderNumber(): string {
  let number = '';
  for (let index = 0; index < ORDER_NUMBER_LENGTH; index += 1) number += ORDER_NUMBER_ALPHABET.charAt(randomInt(ORDER_NUMBER_ALPHABET.length));
  return number;
}
