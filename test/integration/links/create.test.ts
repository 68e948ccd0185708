import { updateShopProfile } from '../../../src/merchants/shop-profile.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performEffect } from '../../../src/bot/effects.js';
import type { EffectEnv } from '../../../src/effect-env.js';
import { loadConfig } from '../../../src/config.js';
import { createLink, type NewLink } from '../../../src/links/create-link.js';
import { updateLink } from '../../../src/links/update-link.js';
import { clearMerchantKomojuKeys, setMerchantKomojuKeys } from '../../../src/merchants/komoju-keys.js';
import { renderQrPng } from '../../../src/links/qr.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { createLineClient } from '../../../src/line/line-client.js';
import { createLogger } from '../../../src/logger.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { seedMember } from './links-support.js';

const kinds = await databaseKinds();
const BASE = 'https://pay.example';
const options = (linkId: string) => ({ linkId, publicBaseUrl: BASE, testMode: true });

describe.each(kinds)('createLink on %s', (kind) => {
  let database: TestDatabase;
  let line: LineApiStub;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedMember(database.db.prisma, 'shop-a', 'Ua');
    await seedMember(database.db.prisma, 'shop-b', 'Ub');
    line = new LineApiStub({ channelAccessToken: 'token' });
    await line.listen();
  });
  afterAll(async () => {
    await line?.close();
    await database?.drop();
  });

  const draft = (productName: string, overrides: Partial<NewLink> = {}): NewLink => ({
    merchantId: 'shop-a',
    createdByUserId: 'Ua',
    amount: 1500,
    currency: 'JPY',
    productName,
    ...overrides,
  });

  it('two concurrent creates with the same product name make exactly one link', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `Race tee ${round}`;
      const outcomes = await Promise.all([
        createLink(database.db.prisma, draft(name), options(`race-${round}-a`)),
        createLink(database.db.prisma, draft(name.toUpperCase()), options(`race-${round}-b`)),
      ]);
      expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['created', 'duplicate']);
      expect(await database.db.prisma.link.count({ where: { merchantId: 'shop-a', productNameKey: name.toLowerCase() } })).toBe(1);
    }
  });

  it('ten concurrent creates of one name: one link, nine duplicates pointing at it', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, index) => createLink(database.db.prisma, draft('Crowded'), options(`crowd-${index}`))));
    const created = outcomes.filter((outcome) => outcome.kind === 'created');
    expect(created).toHaveLength(1);
    const winner = created[0]!.kind === 'created' ? created[0]!.link : undefined;
    for (const outcome of outcomes) {
      if (outcome.kind === 'duplicate') expect(outcome.existing.id).toBe(winner?.id);
    }
  });

  it('the same name is fine in another merchant; a retried create returns the link it made', async () => {
    const first = await createLink(database.db.prisma, draft('Shared name'), options('shared-a'));
    const other = await createLink(database.db.prisma, draft('Shared name', { merchantId: 'shop-b', createdByUserId: 'Ub' }), options('shared-b'));
    const retried = await createLink(database.db.prisma, draft('Shared name'), options('shared-a'));
    expect(first.kind).toBe('created');
    expect(other.kind).toBe('created');
    expect(retried).toEqual(first);
  });

  it('re-checks every rule at the boundary', async () => {
    const media = await database.db.prisma.media.create({
      data: { id: 'img-of-b', merchantId: 'shop-b', mimeType: 'image/png', bytes: new Uint8Array(await renderQrPng('x')), size: 1 },
    });
    const refused = await Promise.all([
      createLink(database.db.prisma, draft('Too much', { amount: 100_000_000 }), options('bad-1')),
      createLink(database.db.prisma, draft('Fraction', { amount: 12.5 }), options('bad-2')),
      createLink(database.db.prisma, draft('Bitcoin', { currency: 'BTC' }), options('bad-3')),
      createLink(database.db.prisma, draft('\u200b  '), options('bad-4')),
      createLink(database.db.prisma, draft('Long', { description: 'x'.repeat(1001) }), options('bad-5')),
      createLink(database.db.prisma, draft('Stolen image', { imageId: media.id }), options('bad-6')),
      createLink(database.db.prisma, draft('Expired', { expiresAt: new Date(Date.now() - 1000) }), options('bad-7')),
    ]);
    expect(refused.map((outcome) => outcome.kind)).toEqual(Array(7).fill('invalid'));
    expect(await database.db.prisma.link.count({ where: { id: { startsWith: 'bad-' } } })).toBe(0);
  });

  it('an edited expiry obeys the same range as a created one: after now, at most a year ahead', async () => {
    const created = await createLink(database.db.prisma, draft('Expiry edits'), options('expiry-edits'));
    if (created.kind !== 'created') throw new Error(created.kind);
    const edit = (value: string | null) => updateLink(database.db.prisma, { merchantId: 'shop-a', linkId: created.link.id, role: 'owner', change: { field: 'expiresAt', value } });
    const day = 86_400_000;
    expect(await edit(new Date(Date.now() - 1000).toISOString())).toEqual({ ok: false, reason: 'invalid' });
    expect(await edit(new Date(Date.now() + 367 * day).toISOString())).toEqual({ ok: false, reason: 'invalid' });
    expect(await createLink(database.db.prisma, draft('Too far', { expiresAt: new Date(Date.now() + 367 * day) }), options('too-far'))).toMatchObject({ kind: 'invalid' });
    const inAMonth = new Date(Date.now() + 30 * day);
    expect(await edit(inAMonth.toISOString())).toMatchObject({ ok: true, link: { expiresAt: inAMonth } });
    expect(await edit(null)).toMatchObject({ ok: true, link: { expiresAt: null } });
  });

  describe('as an effect', () => {
    const env = (userId: string, idempotencyKey: string, komojuKey?: string): EffectEnv => {
      const config = loadConfig({
        PUBLIC_BASE_URL: BASE,
        LINE_CHANNEL_SECRET: 'secret',
        LINE_CHANNEL_ACCESS_TOKEN: 'token',
        LINE_API_BASE_URL: line.origin,
        LINE_DATA_API_BASE_URL: line.origin,
        APP_SECRET: 'a'.repeat(40),
        ...(komojuKey ? { KOMOJU_SECRET_KEY: komojuKey, KOMOJU_WEBHOOK_SECRET: 'whsec' } : {}),
      });
      return {
        prisma: database.db.prisma,
        line: createLineClient({ channelAccessToken: 'token', apiBaseUrl: line.origin, dataApiBaseUrl: line.origin }),
        config,
        log: createLogger('silent'),
        userId,
        idempotencyKey,
        paymentMethods: async () => null,
      };
    };
    const createEffect = (merchantId: string, productName: string) => ({ type: 'links.create', merchantId, draft: { amount: 500, currency: 'JPY', productName } }) as const;

    it('refuses a merchant the user is not a member of', async () => {
      const result = await performEffect(createEffect('shop-b', 'Not mine'), env('Ua', 'evt-1:0'));
      expect(result).toEqual({ type: 'links.rejected', reason: 'notMember' });
      const image = await performEffect({ type: 'links.fetchImage', merchantId: 'shop-b', messageId: 'x' }, env('Ua', 'evt-2:0'));
      expect(image).toEqual({ type: 'links.rejected', reason: 'notMember' });
      expect(await database.db.prisma.link.count({ where: { productName: 'Not mine' } })).toBe(0);
    });

    it('creates once per event, with an unguessable id, and marks test mode from the KOMOJU key', async () => {
      const first = await performEffect(createEffect('shop-a', 'Once'), env('Ua', 'evt-3:1'));
      const retried = await performEffect(createEffect('shop-a', 'Once'), env('Ua', 'evt-3:1'));
      expect(first.type).toBe('links.created');
      expect(retried).toEqual(first);
      if (first.type !== 'links.created') throw new Error('not created');
      expect(first.link.id).toMatch(/^lnk_[A-Za-z0-9_-]{22}$/);
      expect(first.link).toMatchObject({ testMode: true, url: `${BASE}/l/${first.link.slug}`, qrUrl: `${BASE}/qr/${first.link.slug}.png` });

      // A live link needs the shop's legal notice first; a test link does not.
      const refused = await performEffect(createEffect('shop-a', 'Live'), env('Ua', 'evt-3b:0', 'sk_live_abc'));
      // What 特定商取引法 requires of a Japanese seller, listed so the owner knows what to fill in.
      expect(refused).toEqual({ type: 'links.rejected', reason: 'legalNotice', missing: ['legalName', 'legalAddress', 'legalPhone', 'legalEmail', 'extraCharges', 'deliveryTiming', 'returnsPolicy'] });
      expect(await database.db.prisma.link.count({ where: { productName: 'Live' } })).toBe(0);
      await updateShopProfile(database.db.prisma, 'shop-a', { field: 'legalUrl', value: 'https://shop.example/legal' });
      const live = await performEffect(createEffect('shop-a', 'Live'), env('Ua', 'evt-4:0', 'sk_live_abc'));
      const test = await performEffect(createEffect('shop-a', 'Test key'), env('Ua', 'evt-5:0', 'sk_test_abc'));
      expect(live).toMatchObject({ type: 'links.created', link: { testMode: false } });
      expect(test).toMatchObject({ type: 'links.created', link: { testMode: true } });

      // A merchant's own live key decides over the operator's test key (it is the one checkout uses).
      await setMerchantKomojuKeys(database.db.prisma, 'a'.repeat(40), 'shop-a', { secretKey: 'sk_live_merchant', webhookSecret: 'whsec_m' });
      const merchantLive = await performEffect(createEffect('shop-a', 'Merchant live'), env('Ua', 'evt-8:0', 'sk_test_abc'));
      await clearMerchantKomojuKeys(database.db.prisma, 'shop-a');
      expect(merchantLive).toMatchObject({ type: 'links.created', link: { testMode: false } });

      const duplicate = await performEffect(createEffect('shop-a', 'once'), env('Ua', 'evt-6:0'));
      expect(duplicate).toMatchObject({ type: 'links.duplicate', existing: { id: first.link.id } });
    });

    it('stores a fetched photo once per event even when retried', async () => {
      line.contents.set('700000000001', { bytes: await renderQrPng('photo'), contentType: 'image/png' });
      const effect = { type: 'links.fetchImage', merchantId: 'shop-a', messageId: '700000000001' } as const;
      const first = await performEffect(effect, env('Ua', 'evt-7:0'));
      const again = await performEffect(effect, env('Ua', 'evt-7:0'));
      expect(first).toMatchObject({ type: 'links.imageFetched', ok: true, imageUrl: expect.stringMatching(new RegExp(`^${BASE}/media/img_`)) });
      expect(again).toEqual(first);
      expect(await database.db.prisma.media.count({ where: { merchantId: 'shop-a' } })).toBe(1);
    });
  });
});
