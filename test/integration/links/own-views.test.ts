// The merchant's own looks at their page are not page views: the Open button the bot shows them
// carries a signed marker that leaves a cookie for that link; buyers' URLs (Share, Copy, QR) do not.
// Everything through real HTTP, as a browser would send it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { actionsOf, seedMember } from './links-support.js';

const PUBLIC_BASE_URL = 'http://127.0.0.1:1';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Line/14.0.0';

describe.each(await databaseKinds())("the merchant's own views on %s", (kind) => {
  let database: TestDatabase;
  let harness: LineHarness;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    harness = await startLineHarness({ db: database.db });
    await seedMember(database.db.prisma, 'shop-own', 'Uown', 'en');
  });
  afterAll(async () => {
    await harness?.stop();
    await database?.drop();
  });

  const local = (url: string) => url.replace(PUBLIC_BASE_URL, harness.url);
  const views = async (slug: string) => (await database.db.prisma.link.findUniqueOrThrow({ where: { slug } })).pageViews;
  const open = (url: string, headers: Record<string, string> = {}) => fetch(local(url), { redirect: 'manual', headers: { 'user-agent': BROWSER, ...headers } });

  async function quickLink(name: string): Promise<{ slug: string; url: string; openUrl: string; card: Record<string, unknown> }> {
    await harness.say('Uown', 'quick');
    await harness.say('Uown', '1500');
    const [card] = await harness.say('Uown', name, 3);
    const link = await database.db.prisma.link.findFirstOrThrow({ where: { createdByUserId: 'Uown', productName: name } });
    const openUrl = actionsOf(card!).get('Open')?.['uri'];
    if (typeof openUrl !== 'string') throw new Error('no Open button');
    return { slug: link.slug, url: `${PUBLIC_BASE_URL}/l/${link.slug}`, openUrl, card: card! };
  }

  it('does not count views opened from the Open button, and counts the buyers’ URL', async () => {
    const tea = await quickLink('Own view tea');
    // Buyers get the plain URL: Share, Copy and the card's URL row hold no marker.
    const actions = actionsOf(tea.card);
    expect(actions.get('Copy link')).toMatchObject({ clipboardText: tea.url });
    expect(decodeURIComponent(String(actions.get('Share')?.['uri']))).not.toContain('own=');
    expect(messageText(tea.card)).not.toContain('own=');
    expect(tea.openUrl).toMatch(new RegExp(`^${tea.url.replace(/[.?]/g, '\\$&')}\\?own=[A-Za-z0-9_-]{22}$`));

    // The marker sets a cookie for this link's page only and sends the browser to the plain URL.
    const marked = await open(tea.openUrl);
    expect(marked.status).toBe(303);
    expect(marked.headers.get('location')).toBe(`/l/${tea.slug}`);
    expect(marked.headers.get('cache-control')).toBe('private, no-store');
    const setCookie = marked.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^own_view=[A-Za-z0-9_-]{22}; Max-Age=43200; Path=/l/${tea.slug}; Expires=.+; HttpOnly; SameSite=Lax$`));
    const cookie = setCookie.split(';')[0]!;

    for (let view = 0; view < 3; view++) expect((await open(tea.url, { cookie })).status).toBe(200);
    expect(await views(tea.slug)).toBe(0);

    // A buyer (no cookie) is counted; so is a made-up marker or cookie, and this link's cookie on another link.
    expect((await open(tea.url)).status).toBe(200);
    const forged = await open(`${tea.url}?own=${'A'.repeat(22)}`);
    expect(forged.status).toBe(303);
    expect(forged.headers.get('set-cookie')).toBeNull();
    expect((await open(tea.url, { cookie: `own_view=${'A'.repeat(22)}` })).status).toBe(200);
    expect(await views(tea.slug)).toBe(2);
    const cake = await quickLink('Own view cake');
    expect((await open(cake.url, { cookie })).status).toBe(200);
    expect(await views(cake.slug)).toBe(1);

    const [summary] = await harness.say('Uown', 'summary Own view tea');
    expect(messageText(summary!)).toContain('2 views → 0 presses → 0 paid');
  });
});
