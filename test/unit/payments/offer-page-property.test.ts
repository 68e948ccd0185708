// The one offer rule, property-tested at unit level: for random link configurations and random
// live states, the page rendered from the rule (payments/pages/offer-page.ts) and the form reader
// (payments/read-checkout-form.ts) agree — the form submitted as it stands reads as an order iff
// the rule says open; every value the form offers is accepted and every value it does not offer
// is refused at a named field; the merchant's list label (sales/sales-link-view.ts) agrees with
// the page. No database: the forms here type no code, so nothing is looked up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SqlQuery } from '../../../src/db/sql.js';
import type { Link } from '../../../src/generated/prisma/client.js';
import { renderClosedPage } from '../../../src/payments/pages/link-page-views.js';
import { renderOfferPage } from '../../../src/payments/pages/offer-page.js';
import { translator } from '../../../src/i18n/i18n.js';
import { toLinkView } from '../../../src/links/link-view.js';
import { tipChoiceValue } from '../../../src/links/link-price.js';
import { offerFor, offerTermsOf, type LinkLiveState, type OpenOffer } from '../../../src/links/offer-rule.js';
import { readCheckoutForm, type ReadCheckoutForm } from '../../../src/payments/read-checkout-form.js';
import { linkState } from '../../../src/sales/sales-link-view.js';
import { formAsRendered } from '../../support/buyer-fixtures.js';

const NOW = new Date('2026-12-07T03:00:00.000Z');
const CONFIG = { publicBaseUrl: 'https://pay.example', appSecret: 'property-test-secret-0123456789abcdef' };
const SHOP = { name: 'Shop', logoUrl: null, legalUrl: 'https://pay.example/s/shop/legal' };

// The forms here never type a code, so the reader never needs the database; reaching it is a bug.
const NO_DATABASE = new Proxy(
  {},
  {
    get() {
      throw new Error('the form reader reached the database for a form without a code');
    },
  },
) as SqlQuery;

const sortedUnique = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);

const quantityArb = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((n) => ({ quantityMin: n, quantityMax: n })),
  fc.integer({ min: 1, max: 3 }).chain((min) => fc.integer({ min: min + 1, max: 8 }).map((max) => ({ quantityMin: min, quantityMax: max }))),
);

const priceArb = fc.oneof(
  fc.integer({ min: 100, max: 20_000 }).map((amount) => ({ priceMode: 'fixed', amount, amountMin: null, amountMax: null, amountPresets: null })),
  fc
    .record({ min: fc.integer({ min: 100, max: 5_000 }), span: fc.integer({ min: 1, max: 20_000 }), picks: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }) })
    .map(({ min, span, picks }) => {
      const max = min + span;
      return { priceMode: 'buyer', amount: min, amountMin: min, amountMax: max, amountPresets: sortedUnique(picks.map((pick) => Math.round(min + pick * span))) };
    }),
);

const tipsArb = fc.oneof(
  fc.constant(null),
  fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }).map((values) => ({ kind: 'percent', values: sortedUnique(values) })),
  fc.uniqueArray(fc.integer({ min: 1, max: 2_000 }), { minLength: 1, maxLength: 4 }).map((values) => ({ kind: 'amount', values: sortedUnique(values) })),
);

const linkArb = fc
  .record({
    quantity: quantityArb,
    usageLimit: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
    price: priceArb,
    tips: tipsArb,
    subscription: fc.boolean(),
    status: fc.constantFrom('active', 'active', 'active', 'inactive'),
    expiresIn: fc.option(fc.integer({ min: -86_400_000, max: 86_400_000 }), { nil: null }),
  })
  // A link's own rules (links/quantity.ts): a minimum the usage limit can never hold is not a link.
  .filter(({ quantity, usageLimit }) => usageLimit === null || quantity.quantityMin <= usageLimit)
  .map(
    ({ quantity, usageLimit, price, tips, subscription, status, expiresIn }): Link => ({
      id: 'lnk_property',
      slug: 'propertyslug123',
      merchantId: 'm_property',
      createdByUserId: 'Uproperty',
      productName: 'Property tea',
      productNameKey: 'property tea',
      currency: 'JPY',
      description: '',
      imageId: null,
      language: 'en',
      status,
      usageLimit,
      ...quantity,
      buyerFields: null,
      afterPaymentMessage: null,
      paymentTypes: subscription ? ['credit_card'] : null,
      ...price,
      tipOptions: tips,
      expiresAt: expiresIn === null ? null : new Date(NOW.getTime() + expiresIn),
      billingInterval: subscription ? 'month' : null,
      testMode: true,
      qrPng: null,
      qrUrl: null,
      pageViews: 0,
      createdAt: NOW,
      updatedAt: NOW,
    }),
  );

const stateArb = fc.record({
  captured: fc.integer({ min: 0, max: 14 }),
  heldByCheckouts: fc.integer({ min: 0, max: 6 }),
  heldByAwaiting: fc.integer({ min: 0, max: 6 }),
  nextFreeAt: fc.option(
    fc.integer({ min: 1, max: 3 * 86_400_000 }).map((ms) => new Date(NOW.getTime() + ms)),
    { nil: null },
  ),
  codeOffered: fc.boolean(),
}) satisfies fc.Arbitrary<LinkLiveState>;

/** The form as the page renders it; a buyer-chosen price without presets needs the one field a buyer must type. */
function renderedForm(link: Link, offer: OpenOffer): Record<string, string> {
  const form = formAsRendered(renderOfferPage({ link, shop: SHOP, offer, config: CONFIG }).html);
  if (!form) throw new Error('an open offer rendered no Pay form');
  if (offer.price.mode === 'buyer' && offer.price.presets.length === 0) form.customAmount = String(offer.price.min);
  return form;
}

const read = (link: Link, offer: OpenOffer, form: Record<string, string>): Promise<ReadCheckoutForm> => readCheckoutForm(NO_DATABASE, link, offer, form, NOW, 'pay');

function refusedAt(result: ReadCheckoutForm): string[] {
  return result.ok ? [] : result.problems.map((problem) => problem.field);
}

describe('the offer rule, the page and the checkout form agree', () => {
  it('the form as rendered reads as an order iff the rule says open, and a closed page has no form', async () => {
    await fc.assert(
      fc.asyncProperty(linkArb, stateArb, async (link, state) => {
        const offer = offerFor(offerTermsOf(link), state, NOW);
        if (!offer.open) {
          const closed = renderClosedPage('en', translator('en', 'pages'), link.productName, offer.reason, SHOP);
          expect(formAsRendered(closed)).toBeNull();
          return;
        }
        const result = await read(link, offer, renderedForm(link, offer));
        expect(refusedAt(result)).toEqual([]);
        if (result.ok) expect(result.order.quantity).toBe(offer.quantity.min);
      }),
      { numRuns: 400 },
    );
  });

  it('accepts every value the form offers and refuses every other at a named field', async () => {
    const open = fc.tuple(linkArb, stateArb).filter(([link, state]) => offerFor(offerTermsOf(link), state, NOW).open);
    await fc.assert(
      fc.asyncProperty(open, async ([link, state]) => {
        const offer = offerFor(offerTermsOf(link), state, NOW) as OpenOffer;
        const form = renderedForm(link, offer);
        const { min, max } = offer.quantity;
        const hasQuantityField = 'quantity' in form;
        expect(hasQuantityField).toBe(max > min);
        for (let quantity = min; quantity <= max; quantity += 1) {
          const result = await read(link, offer, { ...form, quantity: String(quantity) });
          expect(result.ok && result.order.quantity).toBe(quantity);
        }
        // The link's own fixed quantity has no field anywhere and ignores one; any other range refuses what it does not offer.
        if (min < offer.quantityMax) {
          for (const quantity of [String(max + 1), String(min - 1), 'two']) expect(refusedAt(await read(link, offer, { ...form, quantity }))).toEqual(['quantity']);
        }

        const price = offer.price;
        if (price.mode === 'buyer') {
          for (const preset of price.presets) {
            const result = await read(link, offer, { ...form, amountChoice: String(preset) });
            expect(result.ok && result.order.unitAmount).toBe(preset);
          }
          for (const amount of [price.min, price.max]) {
            const result = await read(link, offer, { ...form, amountChoice: 'custom', customAmount: String(amount) });
            expect(result.ok && result.order.unitAmount).toBe(amount);
          }
          for (const amount of [price.min - 1, price.max + 1]) expect(refusedAt(await read(link, offer, { ...form, amountChoice: 'custom', customAmount: String(amount) }))).toEqual(['amount']);
          const notAPreset = String(price.max + 7);
          expect(refusedAt(await read(link, offer, { ...form, amountChoice: notAPreset }))).toEqual(['amount']);
        }

        expect('tip' in form).toBe(offer.tips !== null);
        if (offer.tips) {
          const { kind, values } = offer.tips;
          for (const value of values) expect((await read(link, offer, { ...form, tip: tipChoiceValue(kind, value) })).ok).toBe(true);
          // An option's position is not its value: the tip is posted as the amount (or percentage) itself.
          const notOffered = [String(values.length > 1 ? 1 : 0), tipChoiceValue(kind, Math.max(...values) + 1), tipChoiceValue(kind === 'percent' ? 'amount' : 'percent', values[0] ?? 1)];
          for (const tip of notOffered.filter((text) => !values.some((value) => tipChoiceValue(kind, value) === text))) expect(refusedAt(await read(link, offer, { ...form, tip }))).toEqual(['tip']);
        }
        expect('code' in form).toBe(offer.code);
      }),
      { numRuns: 250 },
    );
  });

  it("the merchant's list label agrees with the page", () => {
    fc.assert(
      fc.property(linkArb, stateArb, (link, state) => {
        const offer = offerFor(offerTermsOf(link), state, NOW);
        const label = linkState({ ...toLinkView(link, CONFIG), usedCount: state.captured, capturedAmount: 0 }, NOW);
        // Places held by buyers paying right now are not the merchant's news: the link is still active.
        const page = offer.open || offer.reason === 'reserved' ? 'active' : { inactive: 'inactive', expired: 'expired', used_up: 'usedUp', too_few_left: 'usedUp' }[offer.reason];
        expect(label).toBe(page);
      }),
      { numRuns: 1000 },
    );
  });
});
