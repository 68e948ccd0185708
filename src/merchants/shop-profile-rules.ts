// The shop's public profile as rules, without I/O: which fields there are, how a typed value is
// cleaned and checked, and when the legal notice (特定商取引法に基づく表記) counts as provided.
import { z } from 'zod';
import { removeInvisible } from '../conversation/normalize.js';

/** The typed fields, in the order the chat and the legal page show them (the logo is a photo). */
export const SHOP_TEXT_FIELDS = [
  'displayName',
  'contact',
  'legalName',
  'legalAddress',
  'legalPhone',
  'legalResponsible',
  'returnsPolicy',
  'deliveryTiming',
  'legalUrl',
] as const;
export type ShopTextField = (typeof SHOP_TEXT_FIELDS)[number];
export type ShopProfileField = ShopTextField | 'logo';
export const SHOP_PROFILE_FIELDS: readonly ShopProfileField[] = ['displayName', 'logo', ...SHOP_TEXT_FIELDS.slice(1)];

/** The items the Act expects, typed in the chat; a URL to the shop's own page stands in for all of them. */
export const LEGAL_ITEMS = ['legalName', 'legalAddress', 'legalPhone', 'legalResponsible', 'returnsPolicy', 'deliveryTiming'] as const;
export type LegalItem = (typeof LEGAL_ITEMS)[number];

export type ShopProfileValues = Record<ShopTextField, string | null> & { logoId: string | null };

type ShopFieldError = 'empty' | 'too_long' | 'not_contact' | 'not_phone' | 'not_url';
export type CheckedShopValue = { ok: true; value: string } | { ok: false; reason: ShopFieldError };

/** Longest value per field, in code points. */
export const SHOP_FIELD_MAX: Record<ShopTextField, number> = {
  displayName: 80,
  contact: 254,
  legalName: 100,
  legalAddress: 200,
  legalPhone: 30,
  legalResponsible: 100,
  returnsPolicy: 1000,
  deliveryTiming: 1000,
  legalUrl: 500,
};

const MULTI_LINE: ReadonlySet<ShopTextField> = new Set(['returnsPolicy', 'deliveryTiming']);

// Japanese and Korean numbers as people write them: 03-1234-5678, 090 1234 5678, +81 3 1234 5678, (02) 123-4567.
const PHONE = /^\+?[0-9][0-9\- ()]{7,20}$/;
const email = z.email();

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
    case 'contact':
      return email.safeParse(value).success || isPhoneNumber(value) ? { ok: true, value } : { ok: false, reason: 'not_contact' };
    case 'legalPhone':
      return isPhoneNumber(value) ? { ok: true, value } : { ok: false, reason: 'not_phone' };
    case 'legalUrl':
      return isWebUrl(value) ? { ok: true, value } : { ok: false, reason: 'not_url' };
    default:
      return { ok: true, value };
  }
}

/** The legal items still missing; none when the shop gave a URL to its own page instead. */
export function missingLegalItems(profile: Pick<ShopProfileValues, LegalItem | 'legalUrl'>): LegalItem[] {
  if (profile.legalUrl) return [];
  return LEGAL_ITEMS.filter((item) => !profile[item]);
}

/** Whether the shop may take real (live) payments: its legal notice is reachable and complete. */
export function isLegalNoticeComplete(profile: Pick<ShopProfileValues, LegalItem | 'legalUrl'>): boolean {
  return missingLegalItems(profile).length === 0;
}
