// The attack corpus as data: every way corpus/token-mutations.json alters a signed token is tried
// on each kind we hand out (CSV export links, chart links, Pay form tokens, LINE postbacks) and
// must be refused; every hostile text of corpus/hostile-texts.json, put in every field of a shop's
// public profile, must come out escaped on the legal page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signExportToken, verifyExportToken } from '../../../src/exports/export-token.js';
import { formToken, verifyFormToken } from '../../../src/pages/form-token.js';
import { renderLegalPage } from '../../../src/shop-profile/legal-page.js';
import { decodePostback, encodePostback } from '../../../src/line/postback-data.js';
import { SHOP_TEXT_FIELDS } from '../../../src/merchants/shop-profile-rules.js';
import type { ShopProfile } from '../../../src/merchants/shop-profile.js';
import { signChartToken, verifyChartToken } from '../../../src/sales/chart-token.js';

const SECRET = 'corpus-secret-0123456789abcdef0123456789';
const OTHER_SECRET = 'another-secret-0123456789abcdef012345678';
const corpus = (name: string): unknown => JSON.parse(readFileSync(new URL(`./corpus/${name}`, import.meta.url), 'utf8'));
const { mutations } = corpus('token-mutations.json') as { mutations: string[] };
const hostileTexts = corpus('hostile-texts.json') as string[];

/** A kind of signed token: how to make one (with a secret), check one, and where body and signature part. */
interface TokenKind {
  make: (secret: string, variant: number) => string;
  accepts: (token: string) => boolean;
  separator: string;
  /** Rewrites a readable field of the body (what a forger would change), or null when not readable. */
  editBody: (body: string) => string;
}

const base64Json = (edit: (value: Record<string, unknown>) => void) => (body: string) => {
  const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  edit(value);
  return Buffer.from(JSON.stringify(value)).toString('base64url');
};

const KINDS: Record<string, TokenKind> = {
  export: {
    make: (secret, variant) => signExportToken(secret, { merchantId: `m${variant}`, linkId: null, userId: 'Uowner', language: 'ja' }).token,
    accepts: (token) => verifyExportToken(SECRET, token).ok,
    separator: '.',
    editBody: base64Json((value) => {
      value.m = 'another-shop';
    }),
  },
  chart: {
    make: (secret, variant) => signChartToken(secret, { linkId: `l${variant}` }, 'Ustaff', 'en'),
    accepts: (token) => verifyChartToken(SECRET, token) !== null,
    separator: '.',
    editBody: base64Json((value) => {
      value.u = 'Uremoved';
    }),
  },
  form: {
    make: (secret, variant) => formToken(secret, 'checkout', 'slug0', Date.now() - variant * 60_000),
    accepts: (token) => verifyFormToken(SECRET, 'checkout', 'slug0', token),
    separator: '.',
    editBody: (body) => (parseInt(body, 36) + 3_600_000).toString(36),
  },
  postback: {
    make: (secret, variant) => encodePostback({ action: 'refunds.confirm', args: [`pay_${variant}`, '1000'], dialogId: 'd1' }, secret),
    accepts: (token) => decodePostback(token, SECRET) !== null,
    separator: '|',
    editBody: (body) => body.replace('1000', '100000'),
  },
};

function flipped(char: string): string {
  return char === 'A' ? 'B' : 'A';
}

/** Every forged token the mutation makes from a genuine one (the genuine one itself left out). */
function forgeries(kind: TokenKind, mutation: string): string[] {
  const token = kind.make(SECRET, 0);
  return forge(kind, token, mutation).filter((forged) => forged !== token);
}

function forge(kind: TokenKind, token: string, mutation: string): string[] {
  const cut = token.lastIndexOf(kind.separator);
  const body = token.slice(0, cut);
  const signature = token.slice(cut + 1);
  const join = (b: string, s: string) => `${b}${kind.separator}${s}`;
  switch (mutation) {
    case 'flip-each-signature-char':
      return Array.from(signature).map((char, index) => join(body, signature.slice(0, index) + flipped(char) + signature.slice(index + 1)));
    case 'flip-each-body-char':
      return Array.from(body).map((char, index) => join(body.slice(0, index) + flipped(char) + body.slice(index + 1), signature));
    case 'drop-signature':
      return [body];
    case 'empty-signature':
      return [join(body, '')];
    case 'truncate-signature':
      return [join(body, signature.slice(0, -1)), join(body, signature.slice(0, 8))];
    case 'extra-part':
      return [`${token}${kind.separator}x`];
    case 'swap-body-from-other-token': {
      const other = kind.make(SECRET, 1);
      return [join(other.slice(0, other.lastIndexOf(kind.separator)), signature)];
    }
    case 'resign-with-other-secret':
      return [kind.make(OTHER_SECRET, 0)];
    case 'edit-field-and-keep-signature':
      return [join(kind.editBody(body), signature)];
    default:
      throw new Error(`unknown mutation ${mutation}`);
  }
}

describe('forged and altered tokens (corpus/token-mutations.json)', () => {
  for (const [name, kind] of Object.entries(KINDS)) {
    it(`accepts a genuine ${name} token`, () => {
      expect(kind.accepts(kind.make(SECRET, 0))).toBe(true);
    });
    it.each(mutations)(`refuses every ${name} token altered by %s`, (mutation) => {
      const forged = forgeries(kind, mutation);
      expect(forged.length).toBeGreaterThan(0);
      expect(forged.filter((token) => kind.accepts(token))).toEqual([]);
    });
  }
});

describe('hostile texts in a shop profile (corpus/hostile-texts.json)', () => {
  const profileWith = (text: string): ShopProfile =>
    ({ merchantId: 'm1', merchantName: text, shopSlug: 'shop1', logoId: null, ...Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, field === 'legalUrl' ? null : text])) }) as ShopProfile;
  /** The page's markup: every tag with its attribute names, in order (texts left out). */
  const tagsOf = (page: string) => [...page.matchAll(/<\/?([a-z][a-z0-9-]*)((?:\s+[a-z-]+)(?==)|[^>])*>/gi)].map((match) => match[0].replace(/="[^"]*"/g, '').replace(/\s+/g, ' '));

  it.each(hostileTexts)('escapes %j in every field of the legal page: not one tag or attribute more', (hostile) => {
    for (const language of ['ja', 'en', 'ko'] as const) {
      const page = renderLegalPage(profileWith(hostile), language, 'https://pay.example');
      const benign = renderLegalPage(profileWith('Tea shop'), language, 'https://pay.example');
      if (/[<>"']/.test(hostile)) expect(page).not.toContain(hostile);
      expect(tagsOf(page)).toEqual(tagsOf(benign));
      expect(page).not.toMatch(/href="javascript:/i);
    }
  });
});
