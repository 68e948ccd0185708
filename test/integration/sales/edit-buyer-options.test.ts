// Editing what a link's page asks and offers, from chat: quantity (owner only), buyer details,
// the question, the after-payment message and the payment methods — each checked, then saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';
import { actionsOf, postbackData, seedLink, seedMerchant, signedPostback, tap } from './sales-fixtures.js';

const kinds = await databaseKinds();

describe.each(kinds)('editing the buyer page options of a link on %s', (kind) => {
  let database: TestDatabase;
  let harness: LineHarness;
  let linkId = '';

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    harness = await startLineHarness({ db: database.db });
    await seedMerchant(database.db.prisma, 'cafe', [
      { userId: 'Uowner', role: 'owner', language: 'en' },
      { userId: 'Ustaff', role: 'staff', language: 'en' },
    ]);
    linkId = await seedLink(database.db.prisma, 'cafe', { productName: 'Tenugui', amount: 1200, usageLimit: 10 });
  });
  afterAll(async () => {
    await harness?.stop();
    await database?.drop();
  });

  const link = () => database.db.prisma.link.findUniqueOrThrow({ where: { id: linkId } });

  async function editField(userId: string, label: string, value: string): Promise<string> {
    const [menu] = await tap(harness, userId, signedPostback('sales.edit', [linkId]));
    await tap(harness, userId, postbackData(menu, label));
    const [answer] = await harness.say(userId, value);
    return messageText(answer!);
  }

  it('sets each option with a checked value', async () => {
    expect(await editField('Uowner', 'Quantity', '20-30')).toContain("The smallest quantity can't be more");
    await harness.say('Uowner', 'cancel');
    expect(await editField('Uowner', 'Quantity', '1-5')).toContain('Saved');
    expect(await editField('Uowner', 'Buyer details', 'name, address')).toContain('Saved');
    expect(await editField('Uowner', 'Question', 'Pattern? Sakura / Wave')).toContain('Saved');
    expect(await editField('Uowner', 'After payment', 'Ships in 3 days.')).toContain('Saved');
    expect(await editField('Uowner', 'Payment methods', 'card, paypay')).toContain('Saved');
    expect(await link()).toMatchObject({
      quantityMin: 1,
      quantityMax: 5,
      buyerFields: { ask: ['name', 'address'], question: { text: 'Pattern?', choices: ['Sakura', 'Wave'] } },
      afterPaymentMessage: 'Ships in 3 days.',
      paymentTypes: ['credit_card', 'paypay'],
    });
  });

  it('keeps the quantity owner-only, like the usage limit', async () => {
    const [menu] = await tap(harness, 'Ustaff', signedPostback('sales.edit', [linkId]));
    const labels = actionsOf(menu!).map((action) => action.label);
    expect(labels).not.toContain('Quantity');
    expect(labels).toContain('Buyer details');
    await harness.say('Ustaff', 'cancel');
  });
});
