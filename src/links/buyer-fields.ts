// What a link asks the buyer on its page before Pay, and how the answers are checked. Pure: the
// chat sets the fields, the page renders them, the checkout validates with readBuyerDetails.
import { z } from 'zod';
import { normalizeText, removeInvisible } from '../conversation/normalize.js';

export const BUYER_DETAIL_KINDS = ['name', 'phone', 'email', 'address'] as const;
export type BuyerDetailKind = (typeof BUYER_DETAIL_KINDS)[number];

export const QUESTION_MAX = 100;
export const CHOICE_MAX = 40;
export const CHOICES_MAX = 10;
export const ANSWER_MAX = 200;

/** One question of the merchant's: free text, or one of `choices` when there are any. */
export const questionSchema = z.object({ text: z.string().min(1).max(QUESTION_MAX), choices: z.array(z.string().min(1).max(CHOICE_MAX)).max(CHOICES_MAX) });

export const buyerFieldsSchema = z.object({
  ask: z.array(z.enum(BUYER_DETAIL_KINDS)).max(BUYER_DETAIL_KINDS.length).default([]),
  question: questionSchema.nullable().default(null),
});
export type BuyerFields = z.infer<typeof buyerFieldsSchema>;

export const NO_BUYER_FIELDS: BuyerFields = { ask: [], question: null };

/** A stored value as this code understands it; anything unreadable asks nothing. */
export function readBuyerFields(stored: unknown): BuyerFields {
  const parsed = buyerFieldsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : NO_BUYER_FIELDS;
}

export function asksAnything(fields: BuyerFields): boolean {
  return fields.ask.length > 0 || fields.question !== null;
}

const KIND_WORDS: Record<BuyerDetailKind, readonly string[]> = {
  name: ['name', 'names', '名前', '氏名', 'お名前', '이름', '성함'],
  phone: ['phone', 'tel', 'telephone', '電話', '電話番号', '전화', '전화번호', '연락처'],
  email: ['email', 'e-mail', 'mail', 'メール', 'メールアドレス', '이메일', '메일'],
  address: ['address', 'shipping', '住所', '配送先', '주소', '배송지'],
};

/** "name, phone", "名前・電話", "이름 주소" → the details to ask, in a fixed order; null if a word is unknown. */
export function parseBuyerDetailKinds(input: string): BuyerDetailKind[] | null {
  const words = normalizeText(input)
    .toLowerCase()
    .split(/[\s,、，・/]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  const chosen = new Set<BuyerDetailKind>();
  for (const word of words) {
    const kind = BUYER_DETAIL_KINDS.find((candidate) => KIND_WORDS[candidate].includes(word));
    if (!kind) return null;
    chosen.add(kind);
  }
  return BUYER_DETAIL_KINDS.filter((kind) => chosen.has(kind));
}

export type QuestionError = 'empty' | 'too_long' | 'too_many_choices' | 'choice_too_long';

// A slash between two digits is part of a date or a fraction (12/12, 1/2), never a separator.
const CHOICE_SLASH = /(?<!\d)\/|\/(?!\d)/u;
// A list marker the merchant may type before each choice on its own line.
const LIST_MARKER = /^(?:[・•*]|-\s)\s*/u;

function clean(line: string): string {
  return line.replace(/\s+/gu, ' ').trim();
}

/** The question, its trailing ":" dropped (a "?" stays). */
function questionPart(text: string): string {
  return text.replace(/\s*[:：]$/u, '').trim();
}

/** The question and its choices as typed: one choice per line after the question, or "Size? S / M / L" on one line. */
function splitQuestion(input: string): { questionText: string; choices: string[] } {
  const lines = removeInvisible(input)
    .normalize('NFKC')
    .split(/\r\n|[\r\n\u2028\u2029]/u)
    .map(clean)
    .filter(Boolean);
  const [first = '', ...rest] = lines;
  if (rest.length > 0) return { questionText: questionPart(first), choices: rest.map((line) => line.replace(LIST_MARKER, '').trim()).filter(Boolean) };
  // On one line, the choices follow the question's "?" or ":", separated by slashes.
  const split = /^(.*?[?？:：])\s*(.+)$/u.exec(first);
  const choices = split?.[2]
    ? split[2]
        .split(CHOICE_SLASH)
        .map((choice) => choice.trim())
        .filter(Boolean)
    : [];
  // "Pickup? 12/12" has no separator: a free question as typed, not one choice.
  if (!split?.[1] || choices.length < 2) return { questionText: first, choices: [] };
  return { questionText: questionPart(split[1]), choices };
}

/**
 * "Size? S / M / L" → a question with choices; "Pickup date?" then "12/12" and "12/13" on their own
 * lines → a question with those choices; "Pickup time?" → a free-text question.
 */
export function parseQuestion(input: string): { ok: true; question: NonNullable<BuyerFields['question']> } | { ok: false; reason: QuestionError } {
  const { questionText, choices } = splitQuestion(input);
  if (questionText === '') return { ok: false, reason: 'empty' };
  if (Array.from(questionText).length > QUESTION_MAX) return { ok: false, reason: 'too_long' };
  if (choices.length > CHOICES_MAX) return { ok: false, reason: 'too_many_choices' };
  if (choices.some((choice) => Array.from(choice).length > CHOICE_MAX)) return { ok: false, reason: 'choice_too_long' };
  return { ok: true, question: { text: questionText, choices } };
}

// ── the buyer's answers ──────────────────────────────────────────────────────────────────────

export type PostalCountry = 'JP' | 'KR';

interface ShippingAddress {
  country: PostalCountry;
  /** JP "123-4567", KR "12345". */
  postalCode: string;
  line1: string;
  line2: string;
}

export interface BuyerDetails {
  name?: string;
  phone?: string;
  email?: string;
  address?: ShippingAddress;
  /** The question as it was asked, and the answer. */
  answer?: { question: string; text: string };
}

/** Form field names, which the 422 page names. */
export type BuyerField = 'buyerName' | 'phone' | 'email' | 'country' | 'postalCode' | 'address1' | 'address2' | 'answer';
export type BuyerFieldError = 'missing' | 'too_long' | 'not_phone' | 'not_email' | 'not_postal_code' | 'not_a_choice';

export const BUYER_NAME_MAX = 100;
export const ADDRESS_LINE_MAX = 200;
/** Longest value per field, in code points. */
export const BUYER_FIELD_MAX: Record<BuyerField, number> = {
  buyerName: BUYER_NAME_MAX,
  phone: 30,
  email: 254,
  country: 2,
  postalCode: 10,
  address1: ADDRESS_LINE_MAX,
  address2: ADDRESS_LINE_MAX,
  answer: ANSWER_MAX,
};
const email = z.email();

function textOf(raw: unknown): string {
  return typeof raw === 'string' ? removeInvisible(raw).normalize('NFKC').replace(/\s+/gu, ' ').trim() : '';
}

/** Japanese and Korean numbers (0X0-XXXX-XXXX, 0X-XXX-XXXX …) or an international +NN one. */
export function normalizePhone(text: string): string | null {
  const compact = text.replace(/[\s\-()‐–]/g, '');
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return compact;
  if (/^0\d{8,10}$/.test(compact)) return compact;
  return null;
}

/** 〒123-4567 / 1234567 → "123-4567" (JP); 5 digits (KR, since 2015). */
export function normalizePostalCode(country: PostalCountry, text: string): string | null {
  const digits = text.replace(/^〒/, '').replace(/[\s\-‐–]/g, '');
  if (country === 'JP') return /^\d{7}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3)}` : null;
  return /^\d{5}$/.test(digits) ? digits : null;
}

export type ReadBuyerDetails = { ok: true; details: BuyerDetails } | { ok: false; errors: { field: BuyerField; reason: BuyerFieldError }[] };

/** The buyer's answers to what the link asks, each checked; every problem is reported at once. */
export function readBuyerDetails(form: Record<string, unknown>, fields: BuyerFields): ReadBuyerDetails {
  const details: BuyerDetails = {};
  const errors: { field: BuyerField; reason: BuyerFieldError }[] = [];
  const required = (field: BuyerField, max: number): string | null => {
    const value = textOf(form[field]);
    if (value === '') errors.push({ field, reason: 'missing' });
    else if (Array.from(value).length > max) errors.push({ field, reason: 'too_long' });
    else return value;
    return null;
  };
  for (const kind of fields.ask) {
    switch (kind) {
      case 'name': {
        const name = required('buyerName', BUYER_NAME_MAX);
        if (name !== null) details.name = name;
        break;
      }
      case 'phone': {
        const typed = required('phone', BUYER_FIELD_MAX.phone);
        if (typed === null) break;
        const phone = normalizePhone(typed);
        if (phone) details.phone = phone;
        else errors.push({ field: 'phone', reason: 'not_phone' });
        break;
      }
      case 'email': {
        const typed = required('email', BUYER_FIELD_MAX.email);
        if (typed === null) break;
        if (email.safeParse(typed).success) details.email = typed;
        else errors.push({ field: 'email', reason: 'not_email' });
        break;
      }
      case 'address': {
        const country: PostalCountry = form.country === 'KR' ? 'KR' : 'JP';
        const typedCode = required('postalCode', BUYER_FIELD_MAX.postalCode);
        const postalCode = typedCode === null ? null : normalizePostalCode(country, typedCode);
        if (typedCode !== null && postalCode === null) errors.push({ field: 'postalCode', reason: 'not_postal_code' });
        const line1 = required('address1', ADDRESS_LINE_MAX);
        const line2 = textOf(form.address2);
        if (Array.from(line2).length > ADDRESS_LINE_MAX) errors.push({ field: 'address2', reason: 'too_long' });
        if (postalCode !== null && line1 !== null) details.address = { country, postalCode, line1, line2 };
        break;
      }
    }
  }
  if (fields.question) {
    const answer = required('answer', ANSWER_MAX);
    if (answer !== null) {
      if (fields.question.choices.length > 0 && !fields.question.choices.includes(answer)) errors.push({ field: 'answer', reason: 'not_a_choice' });
      else details.answer = { question: fields.question.text, text: answer };
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, details };
}

/** The details as lines for the merchant ("Name: …"), with labels from the caller's language. */
export function buyerDetailLines(details: BuyerDetails, label: (kind: 'name' | 'phone' | 'email' | 'address') => string): string[] {
  const lines: string[] = [];
  if (details.name) lines.push(`${label('name')}: ${details.name}`);
  if (details.phone) lines.push(`${label('phone')}: ${details.phone}`);
  if (details.email) lines.push(`${label('email')}: ${details.email}`);
  if (details.address) {
    const { address } = details;
    lines.push(`${label('address')}: ${address.country === 'JP' ? '〒' : ''}${address.postalCode} ${address.line1}${address.line2 ? ` ${address.line2}` : ''}`);
  }
  if (details.answer) lines.push(`${details.answer.question} ${details.answer.text}`);
  return lines;
}

const buyerDetailsSchema = z.object({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  address: z.object({ country: z.enum(['JP', 'KR']), postalCode: z.string(), line1: z.string(), line2: z.string() }).optional(),
  answer: z.object({ question: z.string(), text: z.string() }).optional(),
});

/** Stored details as this code reads them; null when erased or unreadable. */
export function readStoredBuyerDetails(stored: unknown): BuyerDetails | null {
  if (stored === null || stored === undefined) return null;
  const parsed = buyerDetailsSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
