import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedCheckout, seedLink, seedMerchant, signedPostback, tap } from './sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

const kinds = await databaseKinds();

/** All text of a reply (rows render as label then value, one per line). */
function metrics(message: Record<string, unknown> | undefined): string {
  return message ? messageText(message) : '';
}

describe.each(kinds)('Total Sales Summary in chat on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);
  let beansId = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [
      { userId: 'Uen', role: 'owner', language: 'en' },
      { userId: 'Uja', role: 'staff', language: 'ja' },
      { userId: 'Uko', role: 'staff', language: 'ko' },
    ]);
    await seedMerchant(prisma, 'rival', [{ userId: 'Urival', role: 'owner', language: 'en' }]);
    beansId = await seedLink(prisma, 'cafe', { productName: 'Coffee Beans', createdAt: new Date('2026-11-02T00:00:00Z') });
    await seedLink(prisma, 'cafe', { productName: 'Coffee Mug', createdAt: new Date('2026-11-03T00:00:00Z') });
    await seedLink(prisma, 'cafe', { productName: 'Green Tea', amount: 2500, currency: 'USD', createdAt: new Date('2026-11-04T00:00:00Z') });
    await seedLink(prisma, 'rival', { productName: 'Rival Cake' });

    // Kept: 1500 + (1500 − 500) = 2500 over two payments; one fully refunded; one charged back;
    // pending: an abandoned checkout and a failed payment.
    await seedCheckout(prisma, beansId, { status: 'captured', amount: 1500, captured: true });
    await seedCheckout(prisma, beansId, { status: 'captured', amount: 1500, captured: true, refunds: [{ amount: 500 }] });
    await seedCheckout(prisma, beansId, { status: 'refunded', amount: 1500, captured: true, refunds: [{ amount: 1500 }] });
    await seedCheckout(prisma, beansId, { status: 'captured', amount: 1500, captured: true, refunds: [{ amount: 1500, chargeback: true }] });
    await seedCheckout(prisma, beansId, { checkout: 'pending' });
    await seedCheckout(prisma, beansId, { status: 'failed', amount: 1500 });
  });

  it('answers `summary <exact name>` with the four numbers in the link currency', async () => {
    const [card] = await harness.say('Uen', 'summary Coffee Beans');
    expect(card?.type).toBe('flex');
    const text = metrics(card);
    expect(text).toMatch(/Captured amount\n¥2,500/);
    expect(text).toMatch(/Captured payments\n2\n/);
    expect(text).toMatch(/Pending payments\n2\n/);
    expect(text).toMatch(/Refunded payments\n1\n/);
    expect(text).toMatch(/As of \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M/);
  });

  it("counts page views through real HTTP (not crawlers or LINE's preview fetcher) beside presses and paid", async () => {
    // A slug of the real shape (16 base64url characters), in test mode so the sandbox serves it.
    const slug = 'viewCountTest_ab';
    await prisma.link.update({ where: { id: beansId }, data: { slug, testMode: true } });
    const open = (userAgent: string) => fetch(`${harness.url}/l/${slug}`, { headers: { 'user-agent': userAgent } });
    const browser = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Line/14.0.0';
    for (let view = 0; view < 3; view++) expect((await open(browser)).status).toBe(200);
    expect((await open('facebookexternalhit/1.1;line-poker/1.0')).status).toBe(200);
    expect((await open('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).status).toBe(200);
    const [card] = await harness.say('Uen', 'summary Coffee Beans');
    // 6 checkouts were opened (Pay presses); 3 payments were captured (one later fully refunded; the charged-back one is not counted).
    expect(metrics(card)).toContain('3 views → 6 presses → 3 paid');
  });

  it('matches the name ignoring case, width and spacing, in every command language', async () => {
    const [ja] = await harness.say('Uja', '売上　ＣＯＦＦＥＥ　ｂｅａｎｓ');
    expect(metrics(ja)).toMatch(/売上金額\n¥2,500/);
    expect(metrics(ja)).toContain('時点');
    const [ko] = await harness.say('Uko', '매출   coffee BEANS  ');
    expect(metrics(ko)).toMatch(/매출 금액\n¥2,500/);
    expect(metrics(ko)).toContain('기준');
  });

  it('formats another currency for its link', async () => {
    const [card] = await harness.say('Uen', 'summary green tea');
    expect(metrics(card)).toMatch(/Captured amount\n\$0\.00/);
    expect(metrics(card)).toContain('$25.00');
  });

  it('offers a choice when several links match, and the chosen one answers', async () => {
    const [choice] = await harness.say('Uen', 'summary coffee');
    expect(messageText(choice!)).toContain('Several links match "coffee"');
    const labels = actionsOf(choice!).map((action) => action.label);
    expect(labels).toEqual(['Coffee Mug', 'Coffee Beans']);
    const [card] = await tap(harness, 'Uen', postbackData(choice, 'Coffee Beans'));
    expect(metrics(card)).toMatch(/Captured amount\n¥2,500/);
  });

  it('suggests the closest names when nothing matches', async () => {
    const [none] = await harness.say('Uen', 'summary Cofee Beens');
    const text = messageText(none!);
    expect(text).toContain('I couldn\'t find a link named "Cofee Beens"');
    expect(text).toContain('• Coffee Beans');
    const [card] = await tap(harness, 'Uen', postbackData(none, 'Coffee Beans'));
    expect(metrics(card)).toMatch(/Captured payments\n2\n/);
  });

  it('never finds another merchant’s link by name', async () => {
    const [none] = await harness.say('Uen', 'summary Rival Cake');
    expect(messageText(none!)).toContain('I couldn\'t find a link named "Rival Cake"');
    expect(actionsOf(none!).map((action) => action.label)).not.toContain('Rival Cake');
  });

  it('answers the Summary button of a link (action summary [linkId])', async () => {
    const [card] = await tap(harness, 'Uen', signedPostback('summary', [beansId]));
    expect(metrics(card)).toMatch(/Captured amount\n¥2,500/);
    const [refused] = await tap(harness, 'Urival', signedPostback('summary', [beansId]));
    expect(messageText(refused!)).toContain("That link isn't available");
    expect(messageText(refused!)).not.toContain('2,500');
  });

  it("answers with the shop's day, and how to ask for one link, when no name is given", async () => {
    const [card] = await harness.say('Uen', 'summary', 2);
    expect(messageText(card!)).toContain('Captured today');
    expect(messageText(card!)).toContain('summary <product name>');
  });
});
