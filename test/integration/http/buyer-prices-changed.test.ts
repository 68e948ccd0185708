// The total a buyer saw is the total charged: the Pay form carries the prices its page showed,
// signed. When the owner changes the price, a preset or the tips between the page and Pay, the
// press charges nothing and the page comes back (409) with the new total and a short note; a
// change that leaves the buyer's total as it was does not get in the way. A token whose prices
// were tampered with is refused, never a 5xx. Over real HTTP on both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formToken } from '../../../src/pages/form-token.js';
import { databaseKinds } from '../../support/databases.js';
import { formAsRendered, seedLink, type SeededLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_changed_0123456789';
const WEBHOOK_SECRET = 'whsec_changed_0123456789abcdef';
const PUBLIC_BASE_URL = 'http://127.0.0.1:1';

describe.each(await databaseKinds())('a price changed between the page and Pay, on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, PUBLIC_BASE_URL, TRUST_PROXY: 'loopback' },
  }));
  beforeEach(async () => {
    await prisma.rateLimit.deleteMany();
  });
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  async function pageForm(slug: string, choices: Record<string, string> = {}): Promise<Record<string, string>> {
    const form = formAsRendered(await (await fetch(`${harness.url}/l/${slug}`)).text());
    if (!form) throw new Error('no Pay form on the page');
    return { ...form, ...choices };
  }

  function post(link: SeededLink, fields: Record<string, string>): Promise<Response> {
    return fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': '203.0.113.70' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  function sessionsOf(link: SeededLink) {
    return fake.sessions().filter((session) => session.metadata.linkId === link.linkId);
  }

  async function buyerChosen(language: 'ja' | 'en' | 'ko', tips: object | null, presets = [1000, 2000, 3000]): Promise<SeededLink> {
    const link = await seedLink(prisma, { language, amount: 500 });
    await prisma.link.update({ where: { id: link.linkId }, data: { priceMode: 'buyer', amountMin: 500, amountMax: 5000, amountPresets: presets, ...(tips ? { tipOptions: tips } : {}) } });
    return link;
  }

  it('a fixed price raised after the page opened: 409 with the new total, nothing charged; Pay on the new page charges it', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 1000 });
    const stale = await pageForm(link.slug);
    await prisma.link.update({ where: { id: link.linkId }, data: { amount: 1200 } });

    const refused = await post(link, stale);
    expect(refused.status).toBe(409);
    const body = await refused.text();
    expect(body).toContain('data-testid="prices-changed"><p>The price changed after you opened this page, so nothing was charged. The total is now ¥1,200.');
    expect(body).toContain('Pay ¥1,200');
    expect(sessionsOf(link)).toHaveLength(0);

    const paid = await post(link, formAsRendered(body) ?? {});
    expect(paid.status).toBe(303);
    expect(fake.session(sessionIdFrom(paid)).amount).toBe(1200);
  });

  it.each([
    ['ja', '価格が変更されたため、お支払いは行われていません。現在の合計は¥2,200です。'],
    ['ko', '가격이 바뀌어 결제되지 않았습니다. 현재 합계는 ¥2,200입니다.'],
  ] as const)('a price raised under a percentage tip (%s): the note in the link language, the new total', async (language, note) => {
    const link = await seedLink(prisma, { language, amount: 1000 });
    await prisma.link.update({ where: { id: link.linkId }, data: { tipOptions: { kind: 'percent', values: [10, 15] } } });
    // ¥1,000 + 10 % = ¥1,100 on the page; the owner doubles the price before Pay.
    const stale = await pageForm(link.slug, { tip: '10%' });
    await prisma.link.update({ where: { id: link.linkId }, data: { amount: 2000 } });
    const refused = await post(link, stale);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(note);
    expect(sessionsOf(link)).toHaveLength(0);
  });

  it('an amount tip that is no longer offered: 409, the tip field says so, nothing charged', async () => {
    const link = await buyerChosen('en', { kind: 'amount', values: [200, 500] });
    const stale = await pageForm(link.slug, { amountChoice: '1000', tip: '500' });
    await prisma.link.update({ where: { id: link.linkId }, data: { tipOptions: { kind: 'amount', values: [200, 800] } } });
    const refused = await post(link, stale);
    expect(refused.status).toBe(409);
    const body = await refused.text();
    expect(body).toContain('data-testid="prices-changed"><p>The price changed after you opened this page, so nothing was charged. Please check your choices');
    expect(body).toContain('data-testid="tip-error">Choose one of the tips offered.</p>');
    // The new page starts again from "No tip", and its options are the amounts themselves.
    expect(formAsRendered(body)?.tip).toBe('none');
    expect(body).toContain('name="tip" value="800"');
    expect(sessionsOf(link)).toHaveLength(0);
  });

  it('a preset the buyer chose, moved by the owner: 409; a preset they did not choose changes nothing', async () => {
    const link = await buyerChosen('en', null, [1000, 2000]);
    const chosen = await pageForm(link.slug, { amountChoice: '2000' });
    const untouched = await pageForm(link.slug, { amountChoice: '1000' });
    await prisma.link.update({ where: { id: link.linkId }, data: { amountPresets: [1000, 2500] } });
    expect((await post(link, chosen)).status).toBe(409);
    expect(sessionsOf(link)).toHaveLength(0);
    const paid = await post(link, untouched);
    expect(paid.status).toBe(303);
    expect(fake.session(sessionIdFrom(paid)).amount).toBe(1000);
  });

  it('a tip option the buyer did not choose, changed: the total is what they saw, Pay goes through', async () => {
    const link = await buyerChosen('en', { kind: 'percent', values: [10, 20] });
    const form = await pageForm(link.slug, { amountChoice: '2000', tip: '10%' });
    await prisma.link.update({ where: { id: link.linkId }, data: { tipOptions: { kind: 'percent', values: [10, 25] } } });
    const paid = await post(link, form);
    expect(paid.status).toBe(303);
    expect(fake.session(sessionIdFrom(paid)).amount).toBe(2200);
  });

  it('refuses a token whose signed prices were altered (403) and shows a page without signed prices again (409), never 5xx', async () => {
    const link = await seedLink(prisma, { language: 'en', amount: 1000 });
    const form = await pageForm(link.slug);
    const [issued, payload, mac] = (form.token ?? '').split('.');
    const cheaper = Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString('utf8')
        .replace('1000', '1'),
    ).toString('base64url');
    for (const token of [`${issued}.${cheaper}.${mac}`, `${issued}.${mac}`, '', 'x.y.z.w']) {
      const response = await post(link, { ...form, token });
      expect(response.status).toBe(403);
    }
    // Signed by us, but with no prices in it (a page rendered before they were signed): shown again first.
    const unpriced = await post(link, { ...form, token: formToken(harness.config.appSecret, 'checkout', link.slug) });
    expect(unpriced.status).toBe(409);
    expect(await unpriced.text()).toContain('The total is now ¥1,000.');
    expect(sessionsOf(link)).toHaveLength(0);
  });
});
