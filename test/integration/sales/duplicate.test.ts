// "Duplicate" on a link's card, end to end: the copy gets a new name (a taken one is asked again)
// and the source's price, description and page language; the source is untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../support/databases.js';
import { messageText } from '../../support/line-harness.js';
import { bubbles, postbackData, seedLink, seedMerchant, tap } from './sales-fixtures.js';
import { useLineHarness } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('duplicate a link on %s', (kind) => {
  const { prisma, harness } = useLineHarness(kind);

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [{ userId: 'Uowner', role: 'owner', language: 'en' }]);
    await seedLink(prisma, 'cafe', { productName: 'Matcha latte', amount: 680, usageLimit: 5 });
    await seedLink(prisma, 'cafe', { productName: 'Matcha latte L', amount: 780 });
  });

  it('starts create pre-filled, asks a new unique name, and issues the copy', async () => {
    const [list] = await harness.say('Uowner', 'links');
    const card = bubbles(list).find((bubble) => messageText(bubble).startsWith('Matcha latte\n'));
    const [ask] = await tap(harness, 'Uowner', postbackData(card, 'Duplicate'));
    expect(messageText(ask!)).toContain('Duplicating "Matcha latte"');
    const [taken] = await harness.say('Uowner', 'Matcha latte L', 2);
    expect(messageText(taken!)).toContain('Matcha latte L');
    const replies = await harness.say('Uowner', 'Matcha latte iced', 1);
    const review = replies.at(-1);
    expect(messageText(review!)).toContain('¥680');
    await tap(harness, 'Uowner', postbackData(review, 'Save'), 2);
    const copy = await prisma.link.findFirstOrThrow({ where: { merchantId: 'cafe', productName: 'Matcha latte iced' } });
    expect(copy).toMatchObject({ amount: 680, currency: 'JPY', usageLimit: null, status: 'active' });
    expect(await prisma.link.count({ where: { merchantId: 'cafe' } })).toBe(3);
  });
});
