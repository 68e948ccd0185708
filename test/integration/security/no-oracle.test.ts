// No oracle: a stranger guessing discount codes on a link's page hears one answer whether the shop
// has no such code or has one that is stopped, expired, for other links, used up, another shop's or
// a fixed amount in another currency — so guesses reveal nothing about which codes exist (the owner's
// `codes` list says why).
// The states are data (corpus/discount-code-states.json).
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDiscountCode } from '../../../src/discounts/create-code.js';
import { fixtureId, formTokenIn, seedLink, type SeededLink } from '../../support/buyer-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

const states = JSON.parse(readFileSync(new URL('./corpus/discount-code-states.json', import.meta.url), 'utf8')) as { state: string; note: string }[];

describe('discount code answers on the buyer page', () => {
  const { prisma, harness } = useLineHarness('pglite', { env: { TRUST_PROXY: 'loopback' } });
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });

  async function code(merchantId: string, typed: string, options: { linkIds?: string[]; usageCap?: number; usd?: boolean } = {}): Promise<string> {
    const created = await createDiscountCode(prisma, {
      merchantId,
      code: typed,
      off: options.usd ? { kind: 'amount', amount: 500, currency: 'USD' } : { kind: 'percent', percent: 10 },
      usageCap: options.usageCap ?? null,
      expiresAt: null,
      linkIds: options.linkIds ?? [],
    });
    if (created.kind !== 'created') throw new Error(`code not created: ${created.kind}`);
    return created.code.id;
  }

  /** A shop and link where the code GUESS1 is in `state`; the shop also has a live code, so the field shows. */
  async function linkWithCodeIn(state: string): Promise<SeededLink> {
    const link = await seedLink(prisma, { merchantId: fixtureId('m'), language: 'en', amount: 3000, productName: 'Sencha' });
    await code(link.merchantId, 'LIVE5');
    if (state === 'stopped') await prisma.discountCode.update({ where: { id: await code(link.merchantId, 'GUESS1') }, data: { active: false } });
    if (state === 'expired') await prisma.discountCode.update({ where: { id: await code(link.merchantId, 'GUESS1') }, data: { expiresAt: new Date(Date.now() - 1000) } });
    if (state === 'other-link') {
      const other = await seedLink(prisma, { merchantId: link.merchantId, language: 'en' });
      await code(link.merchantId, 'GUESS1', { linkIds: [other.linkId] });
    }
    if (state === 'used-up') {
      const id = await code(link.merchantId, 'GUESS1', { usageCap: 1 });
      await prisma.checkout.create({ data: { id: fixtureId('chk'), linkId: link.linkId, provider: 'sandbox', status: 'pending', discountCodeId: id, discountCode: 'GUESS1' } });
    }
    if (state === 'other-currency') await code(link.merchantId, 'GUESS1', { usd: true });
    if (state === 'other-shop') {
      const rival = await seedLink(prisma, { merchantId: fixtureId('m'), language: 'en' });
      await code(rival.merchantId, 'GUESS1');
    }
    return link;
  }

  async function answerTo(link: SeededLink, preview: boolean): Promise<{ status: number; error: string | undefined }> {
    const token = formTokenIn(await (await fetch(`${harness.url}/l/${link.slug}`)).text());
    const response = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url },
      body: new URLSearchParams({ token, code: 'guess1', ...(preview ? { preview: '1' } : {}) }).toString(),
    });
    const body = await response.text();
    return { status: response.status, error: /data-testid="code-error">([^<]*)</.exec(body)?.[1] };
  }

  it.each([false, true])('gives one answer for every state of a code that does not apply (Apply: %s)', async (preview) => {
    const answers = new Map<string, { status: number; error: string | undefined }>();
    for (const { state } of states) answers.set(state, await answerTo(await linkWithCodeIn(state), preview));
    const unknown = answers.get('unknown');
    expect(unknown?.error).toBe('This code is not valid. Check the spelling.');
    for (const [state, answer] of answers) expect({ state, ...answer }).toEqual({ state, ...unknown });
  });
});
