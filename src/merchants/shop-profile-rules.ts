// The shop's public profile as rules, without I/O: which fields there are, how a typed value is
// cleaned and checked, and when the legal notice (特定商取引法に基づく表記) counts as provided.
import { z } from 'zod';
import { removeInvisible } from '../conversation/normalize.js';

/** Where the seller is: which law's seller items the legal page shows and live links need. */
export const SHOP_COUNTRIES = ['JP', 'KR'] as const;
export type ShopCountry = (typeof SHOP_COUNTRIES)[number];
/** What a bare number in a price means; a Japanese shop always prices in yen. */
export const SHOP_CURRENCIES: Record<ShopCountry, readonly ('JPY' | 'KRW')[]> = { JP: ['JPY'], KR: ['KRW', 'JPY'] };
export type ShopCurrency = 'JPY' | 'KRW';

/** The typed fields (the logo is a photo; the country and currency are buttons). */
export const SHOP_TEXT_FIELDS = [
  'displayName',
  'legalName',
  'legalResponsible',
  'legalAddress',
  'legalPhone',
  'legalEmail',
  'extraCharges',
  'deliveryTiming',
  'returnsPolicy',
  'businessNumber',
  'mailOrderNumber',
  'legalUrl',
] as const;
export type ShopTextField = (typeof SHOP_TEXT_FIELDS)[number];
type ShopChoiceField = 'country' | 'currency';
export type ShopProfileField = ShopTextField | ShopChoiceField | 'logo';

/**
 * The seller items each law lists, in the order its page shows them. Japan: 特定商取引法 第11条 as
 * KOMOJU's and PAY.JP's templates lay it out (販売業者, 運営統括責任者, 所在地, 電話番号, メールアドレス,
 * 商品代金以外の必要料金, 引渡し時期, 返品・交換; price, payment method and payment time are the same
 * for every link and written by us). Korea: 전자상거래법 제13조·제10조 (상호, 대표자, 사업장 주소,
 * 전화번호, 이메일, 사업자등록번호, 통신판매업 신고번호).
 */
export const LEGAL_ITEMS = {
  JP: ['legalName', 'legalResponsible', 'legalAddress', 'legalPhone', 'legalEmail', 'extraCharges', 'deliveryTiming', 'returnsPolicy'],
  KR: ['legalName', 'legalResponsible', 'legalAddress', 'legalPhone', 'legalEmail', 'businessNumber', 'mailOrderNumber'],
} as const satisfies Record<ShopCountry, readonly ShopTextField[]>;
export type LegalItem = (typeof LEGAL_ITEMS)[ShopCountry][number];

/**
 * What a live link needs filled. Japan: 運営統括責任者 may be left out (an individual seller; the page
 * then says it is disclosed on request). Korea: 통신판매업 신고 is exempt for small sellers.
 */
const REQUIRED_ITEMS: Record<ShopCountry, readonly LegalItem[]> = {
  JP: ['legalName', 'legalAddress', 'legalPhone', 'legalEmail', 'extraCharges', 'deliveryTiming', 'returnsPolicy'],
  KR: ['legalName', 'legalResponsible', 'legalAddress', 'legalPhone', 'legalEmail', 'businessNumber'],
};

/** The fields the chat offers, by country (at most 12: LINE shows 13 quick replies, one is Done). */
export function shopProfileFields(country: ShopCountry): ShopProfileField[] {
  return ['displayName', 'logo', 'country', ...(SHOP_CURRENCIES[country].length > 1 ? (['currency'] as const) : []), ...LEGAL_ITEMS[country], 'legalUrl'];
}

export type ShopProfileValues = Record<ShopTextField, string | null> & { logoId: string | null; country: ShopCountry | null; currency: string | null };

export function isShopCountry(value: unknown): value is ShopCountry {
  return typeof value === 'string' && (SHOP_COUNTRIES as readonly string[]).includes(value);
}

/** The seller's country; a shop that was never asked is Japanese (every shop before issue 23 was). */
export function shopCountry(profile: Pick<ShopProfileValues, 'country'>): ShopCountry {
  return profile.country ?? 'JP';
}

/** What a bare number means for this shop: its chosen currency if its country allows it, else the country's. */
export function shopCurrency(profile: Pick<ShopProfileValues, 'country' | 'currency'>): ShopCurrency {
  const allowed = SHOP_CURRENCIES[shopCountry(profile)];
  return allowed.find((currency) => currency === profile.currency) ?? allowed[0]!;
}

type ShopFieldError = 'empty' | 'too_long' | 'not_email' | 'not_phone' | 'not_url' | 'not_business_number';
export type CheckedShopValue = { ok: true; value: string } | { ok: false; reason: ShopFieldError };

/** Longest value per field, in code points. */
export const SHOP_FIELD_MAX: Record<ShopTextField, number> = {
  displayName: 80,
  legalName: 100,
  legalResponsible: 100,
  legalAddress: 200,
  legalPhone: 30,
  legalEmail: 254,
  extraCharges: 1000,
  deliveryTiming: 1000,
  returnsPolicy: 1000,
  businessNumber: 12,
  mailOrderNumber: 50,
  legalUrl: 500,
};

const MULTI_LINE: ReadonlySet<ShopTextField> = new Set(['returnsPolicy', 'deliveryTiming', 'extraCharges']);

// Japanese and Korean numbers as people write them: 03-1234-5678, 090 1234 5678, +81 3 1234 5678, (02) 123-4567.
const PHONE = /^\+?[0-9][0-9\- ()]{7,20}$/;
const email = z.email();
// 사업자등록번호: 10 digits, written 123-45-67890.
const BUSINESS_NUMBER = /^\d{3}-?\d{2}-?\d{5}$/;

function codePointLength(text: string): number {
  return Array.from(text).length;
}

function clean(raw: string, multiLine: boolean): string {
  const text = removeInvisible(raw).replace(/\r\n?/g, '\n').normalize('NFKC');
  const flat = multiLine ? text.replace(/[^\P{Cc}\n]/gu, '').replace(/[ \t]+/g, ' ') : text.replace(/\s+/gu, ' ').replace(/\p{Cc}/gu, '');
  return flat.trim();
}

function isPhoneNumber(text: string): boolean {
  return PHONE.test(text) && (text.match(/[0-9]/g)?.length ?? 0) >= 8;
}

/** A web address buyers can open: http(s) only (no javascript: or data: URLs on our pages). */
function isWebUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** A typed value for one field, cleaned (NFKC, invisibles dropped) and checked. */
export function checkShopValue(field: ShopTextField, raw: string): CheckedShopValue {
  const value = clean(raw, MULTI_LINE.has(field));
  if (value === '') return { ok: false, reason: 'empty' };
  if (codePointLength(value) > SHOP_FIELD_MAX[field]) return { ok: false, reason: 'too_long' };
  switch (field) {
    case 'legalEmail':
      return email.safeParse(value).success ? { ok: true, value } : { ok: false, reason: 'not_email' };
    case 'businessNumber':
      return BUSINESS_NUMBER.test(value) ? { ok: true, value: value.replace(/^(\d{3})-?(\d{2})-?(\d{5})$/, '$1-$2-$3') } : { ok: false, reason: 'not_business_number' };
    case 'legalPhone':
      return isPhoneNumber(value) ? { ok: true, value } : { ok: false, reason: 'not_phone' };
    case 'legalUrl':
      return isWebUrl(value) ? { ok: true, value } : { ok: false, reason: 'not_url' };
    default:
      return { ok: true, value };
  }
}

/** The items the shop's country requires that are still empty; none when it gave a URL to its own page. */
export function missingLegalItems(profile: Pick<ShopProfileValues, ShopTextField | 'country'>): LegalItem[] {
  if (profile.legalUrl) return [];
  return REQUIRED_ITEMS[shopCountry(profile)].filter((item) => !profile[item]);
}

/** Whether the shop may take real (live) payments: its legal notice is reachable and complete. */
export function isLegalNoticeComplete(profile: Pick<ShopProfileValues, ShopTextField | 'country'>): boolean {
  return missingLegalItems(profile).length === 0;
}
