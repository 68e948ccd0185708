// A subscription link as stored: createLink (the trust boundary behind the chat's create effect)
// makes it card only, one unit and without a usage limit whatever the draft said, and keeps a
// one-time link as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, type NewLink } from '../../../src/links/create-link.js';
import { updateLink } from '../../../src/links/update-link.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { seedMember } from '../links/links-support.js';

const options = (linkId: string) => ({ linkId, publicBaseUrl: 'https://pay.example', testMode: true });

describe.each(await databaseKinds())('creating a subscription link on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedMember(database.db.prisma, 'shop-s', 'Us');
  });
  afterAll(async () => {
    await database?.drop();
  });

  const draft = (productName: string, overrides: Partial<NewLink> = {}): NewLink => ({ merchantId: 'shop-s', createdByUserId: 'Us', amount: 1000, currency: 'JPY', productName, ...overrides });

  it('stores the interval and makes the link card only, one unit, no usage limit', async () => {
    const outcome = await createLink(
      database.db.prisma,
      draft('毎月のお花の定期便', {
        billingInterval: 'month',
        paymentTypes: ['konbini', 'paypay'],
        quantityMin: 1,
        quantityMax: 5,
        usageLimit: 10,
        buyerPrice: { min: 500, max: 5000 },
        tipOptions: { kind: 'percent', values: [10] },
      }),
      options('lnk_sub_month'),
    );
    expect(outcome.kind).toBe('created');
    expect(await database.db.prisma.link.findUniqueOrThrow({ where: { id: 'lnk_sub_month' } })).toMatchObject({
      billingInterval: 'month',
      paymentTypes: ['credit_card'],
      quantityMin: 1,
      quantityMax: 1,
      usageLimit: null,
      priceMode: 'fixed',
      tipOptions: null,
    });
  });

  it('refuses edits that would make a subscription link take other methods, several units or a usage limit', async () => {
    await createLink(database.db.prisma, draft('Weekly veggies', { billingInterval: 'week' }), options('lnk_sub_week'));
    const edit = (change: unknown) => updateLink(database.db.prisma, { merchantId: 'shop-s', linkId: 'lnk_sub_week', role: 'owner', change });
    const tips = { field: 'tipOptions', value: { kind: 'percent', values: [10] } };
    for (const change of [{ field: 'paymentTypes', value: ['konbini'] }, { field: 'usageLimit', value: 5 }, { field: 'quantity', value: { min: 1, max: 3 } }, tips]) {
      expect(await edit(change), change.field).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await edit({ field: 'description', value: 'Fresh every Monday' })).toMatchObject({ ok: true });
    expect(await database.db.prisma.link.findUniqueOrThrow({ where: { id: 'lnk_sub_week' } })).toMatchObject({ paymentTypes: ['credit_card'], quantityMax: 1, usageLimit: null });
  });

  it('keeps a one-time link as it was, and refuses an unknown interval', async () => {
    expect((await createLink(database.db.prisma, draft('One box', { usageLimit: 3, paymentTypes: ['konbini'] }), options('lnk_once'))).kind).toBe('created');
    expect(await database.db.prisma.link.findUniqueOrThrow({ where: { id: 'lnk_once' } })).toMatchObject({ billingInterval: null, usageLimit: 3, paymentTypes: ['konbini'] });
    const refused = await createLink(database.db.prisma, draft('Daily box', { billingInterval: 'day' as never }), options('lnk_daily'));
    expect(refused.kind).toBe('invalid');
  });
});
