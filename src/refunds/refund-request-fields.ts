// The bank details a refund request needs (KOMOJU `POST /payments/:id/refund_request`), read from
// what an owner types on a phone. Pure: the dialog checks each answer as it arrives, the performer
// checks them all again before anything is sent.
import { normalizeText, removeInvisible } from '../conversation/normalize.js';
import type { RefundRequestFields } from './effects.js';

/** Japanese bank transfers (Zengin format) carry at most 30 half-width characters of a name. */
const MAX_ACCOUNT_NAME = 30;
const MAX_BANK_NAME = 30;

const HALF_WIDTH_KATAKANA = /^[\uFF66-\uFF9F]$/;
const VOICED = '\uFF9E';
const SEMI_VOICED = '\uFF9F';

/** Full-width katakana (and the voiced ones) → their half-width spelling, built from NFKC itself. */
const TO_HALF_WIDTH: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (let code = 0xff66; code <= 0xff9d; code += 1) {
    const half = String.fromCharCode(code);
    map.set(half.normalize('NFKC'), half);
    for (const mark of [VOICED, SEMI_VOICED]) {
      const composed = (half + mark).normalize('NFKC');
      if (Array.from(composed).length === 1) map.set(composed, half + mark);
    }
  }
  map.set('ヴ', `ｳ${VOICED}`);
  return map;
})();

// Characters a Zengin name may hold besides katakana: capitals, digits and a few marks.
const NAME_OTHER = /^[A-Z0-9 ().\-/]$/;

/**
 * The account holder's name in half-width katakana, as KOMOJU wants it: full-width katakana and
 * hiragana are converted (few phones can type half-width), capitals and digits kept, spaces
 * collapsed. Null when something cannot be written that way (kanji, emoji).
 */
export function toAccountName(input: string): string | null {
  const spaced = removeInvisible(input)
    .replace(/[\u3000\s]+/g, ' ')
    .trim();
  if (spaced === '') return null;
  let name = '';
  for (const raw of spaced) {
    if (HALF_WIDTH_KATAKANA.test(raw)) {
      name += raw;
      continue;
    }
    // Hiragana → katakana (the same letters 0x60 further on).
    const code = raw.codePointAt(0) ?? 0;
    const kana = code >= 0x3041 && code <= 0x3096 ? String.fromCodePoint(code + 0x60) : raw;
    const half = TO_HALF_WIDTH.get(kana);
    if (half) {
      name += half;
      continue;
    }
    const ascii = kana.normalize('NFKC').toUpperCase();
    if (ascii === 'ー' || ascii === '-' || ascii === '−') name += '-';
    else if (NAME_OTHER.test(ascii)) name += ascii;
    else return null;
  }
  return name.length <= MAX_ACCOUNT_NAME ? name : null;
}

export function toBankName(input: string): string | null {
  const name = normalizeText(input).trim();
  return name !== '' && Array.from(name).length <= MAX_BANK_NAME ? name : null;
}

/** Exactly 3 digits (full-width digits accepted). */
export function toBranchNumber(input: string): string | null {
  const digits = normalizeText(input).replace(/[\s-]/g, '');
  return /^[0-9]{3}$/.test(digits) ? digits : null;
}

/** Exactly 7 digits (full-width digits, spaces and hyphens accepted). */
export function toAccountNumber(input: string): string | null {
  const digits = normalizeText(input).replace(/[\s-]/g, '');
  return /^[0-9]{7}$/.test(digits) ? digits : null;
}

// KOMOJU's own values (komoju-php-sdk CreateRefundRequestRequest: normal, checking, savings).
const ACCOUNT_TYPE_WORDS: Record<RefundRequestFields['accountType'], readonly string[]> = {
  normal: ['normal', 'ordinary', '普通', '普通預金', '보통', '보통예금'],
  checking: ['checking', 'current', '当座', '当座預金', '당좌', '당좌예금'],
  savings: ['savings', '貯蓄', '貯蓄預金', '저축', '저축예금'],
};

export function toAccountType(input: string): RefundRequestFields['accountType'] | null {
  const word = normalizeText(input).trim().toLowerCase();
  for (const [type, words] of Object.entries(ACCOUNT_TYPE_WORDS) as [RefundRequestFields['accountType'], readonly string[]][]) {
    if (words.includes(word)) return type;
  }
  return null;
}

/** Every field again, as the performer receives them from stored dialog slots. */
export function checkRefundRequestFields(fields: RefundRequestFields): RefundRequestFields | null {
  const customerName = toAccountName(fields.customerName);
  const bankName = toBankName(fields.bankName);
  const branchNumber = toBranchNumber(fields.branchNumber);
  const accountNumber = toAccountNumber(fields.accountNumber);
  const accountType = toAccountType(fields.accountType);
  if (!customerName || !bankName || !branchNumber || !accountNumber || !accountType) return null;
  if (!Number.isSafeInteger(fields.amount) || fields.amount < 1) return null;
  return { amount: fields.amount, customerName, bankName, branchNumber, accountType, accountNumber, includePaymentMethodFee: fields.includePaymentMethodFee };
}
