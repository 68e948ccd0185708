import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../../src/i18n/i18n.js';
import { draftOfLink } from '../../../../src/links/dialogs/edit-link-dialog.js';
import { EDITABLE_FIELDS, LINK_FIELDS } from '../../../../src/links/fields/link-fields.js';
import { LINE_LIMITS } from '../../../../src/line/line-limits.js';
import { MUTABLE_LINK_FIELDS, linkChangeSchema } from '../../../../src/links/update-link.js';
import { testContext } from '../../../support/context.js';
import { linkView } from '../../../support/dialog-driver.js';

const NOW = new Date('2026-11-28T03:00:00.000Z');
const draft = draftOfLink(linkView({ amount: 1500, currency: 'JPY', usageLimit: 20, quantityMin: 1, quantityMax: 1 }));

describe('the link field table', () => {
  it('has one field per id', () => {
    const ids = LINK_FIELDS.map((field) => field.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every field an issued link can change, each edit producing a change the update accepts', () => {
    expect(EDITABLE_FIELDS.map((field) => field.afterIssue?.field).sort()).toEqual([...MUTABLE_LINK_FIELDS].sort());
    for (const field of EDITABLE_FIELDS) {
      const change = field.afterIssue!.change(draft);
      expect(change.field, field.id).toBe(field.afterIssue!.field);
      expect(linkChangeSchema.safeParse(change).success, field.id).toBe(true);
    }
  });

  it("keeps the edit menu within LINE's quick replies (one per editable field; a 14th field needs another menu)", () => {
    expect(EDITABLE_FIELDS.length).toBeLessThanOrEqual(LINE_LIMITS.quickReplyItems);
  });

  it.each(LANGUAGES)('accepts every choice it offers, in %s', (language) => {
    const ctx = testContext({ now: NOW, language });
    for (const field of LINK_FIELDS) {
      for (const choice of field.choices(ctx, { ...draft, imageId: 'img_1' })) {
        expect(field.parse(choice.value, ctx, draft).ok, `${field.id}: ${choice.value}`).toBe(true);
      }
      expect(field.question(ctx, draft).length, field.id).toBeGreaterThan(0);
    }
  });

  it('describes every value of an issued link, and says what was wrong with a bad answer in the user language', () => {
    const en = testContext({ now: NOW, language: 'en' });
    const ja = testContext({ now: NOW, language: 'ja' });
    for (const field of LINK_FIELDS) expect(field.describe(draft, en), field.id).not.toBeNull();
    const amount = LINK_FIELDS.find((field) => field.id === 'amount')!;
    const refused = amount.parse('abc', ja, {});
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });

  it('makes a subscription card only, one unit, fixed price, no tip, no usage limit; reads billing in ja, en and ko', () => {
    const billing = LINK_FIELDS.find((field) => field.id === 'billing')!;
    const en = testContext({ now: NOW, language: 'en' });
    expect(billing.parse('monthly', en, { ...draft, usageLimit: 5, quantityMin: 1, quantityMax: 3, paymentTypes: ['konbini'] })).toEqual({
      ok: true,
      changes: { billingInterval: 'month', paymentTypes: ['credit_card'], quantityMin: 1, quantityMax: 1, usageLimit: null, amountMin: null, amountMax: null, amountPresets: [], tipOptions: null },
    });
    for (const [word, interval] of [
      ['毎月', 'month'],
      ['매주', 'week'],
      ['毎年', 'year'],
      ['1回払い', null],
      ['한 번 결제', null],
      ['通常購入', null],
      ['일반 결제', null],
    ] as const) {
      expect(billing.parse(word, en, draft), word).toMatchObject({ ok: true, changes: { billingInterval: interval } });
    }
    expect(billing.parse('fortnightly', testContext({ now: NOW, language: 'ko' }), draft).ok).toBe(false);
    expect(billing.describe({ billingInterval: 'month' }, testContext({ now: NOW, language: 'ja' }))).toBe('毎月');
    // Fixed once issued, like the price.
    expect(billing.afterIssue).toBeUndefined();
  });

  it('skips an optional field to "none" from an empty draft, as the edit dialog clears it', () => {
    const cleared = Object.fromEntries(LINK_FIELDS.filter((field) => field.skip).map((field) => [field.id, field.skip!.changes({})]));
    expect(cleared).toEqual({
      description: { description: '' },
      image: { imageId: null },
      usageLimit: { usageLimit: null },
      quantity: { quantityMin: 1, quantityMax: 1 },
      priceRange: { amountMin: null, amountMax: null, amountPresets: [] },
      tips: { tipOptions: null },
      buyerAsk: { buyerAsk: [] },
      question: { question: null },
      afterPayment: { afterPaymentMessage: '' },
      paymentTypes: { paymentTypes: [] },
      billing: { billingInterval: null },
      expiry: { expiresAt: null },
    });
  });

  it('refuses what a subscription link cannot have, saying why, instead of dropping it when the link is made', () => {
    const ja = testContext({ now: NOW, language: 'ja' });
    const monthly = { ...draft, billingInterval: 'month' as const, usageLimit: null };
    for (const [id, answer] of [
      ['priceRange', '500-5000'],
      ['tips', '10%'],
      ['quantity', '1-5'],
      ['usageLimit', '10'],
      ['paymentTypes', 'konbini'],
    ] as const) {
      const field = LINK_FIELDS.find((candidate) => candidate.id === id)!;
      expect(field.parse(answer, ja, { ...draft, billingInterval: null }).ok, id).toBe(true);
      const refused = field.parse(answer, ja, monthly);
      expect(refused.ok, id).toBe(false);
      expect(!refused.ok && refused.error, id).toContain('定期購入（毎月）');
    }
  });
});
