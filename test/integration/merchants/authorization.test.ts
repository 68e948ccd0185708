import { beforeAll, describe, expect, it } from 'vitest';
import { switchActiveMerchant } from '../../../src/merchants/active-merchant.js';
import { AuthorizationError, assertMemberOf } from '../../../src/merchants/authorization.js';
import { createInvite } from '../../../src/merchants/create-invite.js';
import { createMerchant } from '../../../src/merchants/create-merchant.js';
import { getMerchantKomojuKeys, setMerchantKomojuKeys } from '../../../src/merchants/komoju-keys.js';
import { listMembers, removeMember } from '../../../src/merchants/members.js';
import { prismaQuery } from '../../../src/db/sql.js';
import { countAttempt } from '../../../src/merchants/rate-limit.js';
import { SecretBoxError } from '../../../src/merchants/secret-box.js';
import { databaseKinds } from '../../support/databases.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const kinds = await databaseKinds();
const APP_SECRET = 'authz-test-app-secret-0123456789abcdef';

describe.each(kinds)('merchant authorization and keys on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);
  let shopA: string;
  let shopB: string;

  beforeAll(async () => {
    shopA = (await createMerchant(prisma, { name: 'A' })).id;
    shopB = (await createMerchant(prisma, { name: 'B' })).id;
    await prisma.lineUser.createMany({ data: ['Uowner', 'Ustaff', 'Uother', 'Unone'].map((id) => ({ id })) });
    await prisma.member.createMany({
      data: [
        { merchantId: shopA, userId: 'Uowner', role: 'owner' },
        { merchantId: shopA, userId: 'Ustaff', role: 'staff' },
        { merchantId: shopB, userId: 'Uother', role: 'owner' },
      ],
    });
  });

  it.each([
    { user: 'Uowner', staff: 'ok', owner: 'ok' },
    { user: 'Ustaff', staff: 'ok', owner: 'notOwner' },
    { user: 'Uother', staff: 'notMember', owner: 'notMember' },
    { user: 'Unone', staff: 'notMember', owner: 'notMember' },
  ])('assertMemberOf(shop A) for $user', async ({ user, staff, owner }) => {
    const outcome = async (role: 'staff' | 'owner') => {
      try {
        await assertMemberOf(prisma, user, shopA, role);
        return 'ok';
      } catch (error) {
        expect(error).toBeInstanceOf(AuthorizationError);
        return (error as AuthorizationError).reason;
      }
    };
    expect(await outcome('staff')).toBe(staff);
    expect(await outcome('owner')).toBe(owner);
  });

  it('domain functions re-check roles whatever the caller passes', async () => {
    await expect(removeMember(prisma, { actorUserId: 'Ustaff', merchantId: shopA, memberUserId: 'Uowner' })).rejects.toThrow(AuthorizationError);
    await expect(removeMember(prisma, { actorUserId: 'Uother', merchantId: shopA, memberUserId: 'Ustaff' })).rejects.toThrow(AuthorizationError);
    await expect(listMembers(prisma, 'Uother', shopA)).rejects.toThrow(AuthorizationError);
    await expect(switchActiveMerchant(prisma, 'Uother', shopA)).rejects.toThrow(AuthorizationError);
    expect(await prisma.member.count({ where: { merchantId: shopA } })).toBe(2);
  });

  it('stores KOMOJU keys encrypted; reads them back only with the same APP_SECRET', async () => {
    expect(await getMerchantKomojuKeys(prisma, APP_SECRET, shopA)).toBeNull();
    await setMerchantKomojuKeys(prisma, APP_SECRET, shopA, { secretKey: 'sk_test_abc123', webhookSecret: 'whsec_xyz789' });
    const row = await prisma.merchant.findUnique({ where: { id: shopA } });
    expect(row?.komojuSecretKeyEnc).toMatch(/^[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(row)).not.toMatch(/abc123|xyz789/);
    expect(await getMerchantKomojuKeys(prisma, APP_SECRET, shopA)).toEqual({ secretKey: 'sk_test_abc123', webhookSecret: 'whsec_xyz789' });
    expect(await getMerchantKomojuKeys(prisma, APP_SECRET, shopB)).toBeNull();
    expect(await getMerchantKomojuKeys(prisma, APP_SECRET, 'm_missing')).toBeNull();
    await expect(getMerchantKomojuKeys(prisma, 'a-different-app-secret-0123456789abcdef', shopA)).rejects.toThrow(SecretBoxError);
    // Keys copied from one merchant's row into another's do not decrypt there.
    await prisma.merchant.update({ where: { id: shopB }, data: { komojuSecretKeyEnc: row!.komojuSecretKeyEnc, komojuWebhookSecretEnc: row!.komojuWebhookSecretEnc } });
    await expect(getMerchantKomojuKeys(prisma, APP_SECRET, shopB)).rejects.toThrow(SecretBoxError);
  });

  it('issues one invite for a retried chat event (same idempotency key), a new one otherwise', async () => {
    const first = await createInvite(prisma, APP_SECRET, { merchantId: shopA, createdBy: 'Uowner', idempotencyKey: 'event-1:0' });
    const retried = await createInvite(prisma, APP_SECRET, { merchantId: shopA, createdBy: 'Uowner', idempotencyKey: 'event-1:0' });
    const other = await createInvite(prisma, APP_SECRET, { merchantId: shopA, createdBy: 'Uowner', idempotencyKey: 'event-2:0' });
    expect(retried).toEqual(first);
    expect(other.code).not.toBe(first.code);
    expect(await prisma.invite.count({ where: { createdBy: 'Uowner' } })).toBe(2);
    // The same event key for another merchant is another code.
    const elsewhere = await createInvite(prisma, APP_SECRET, { merchantId: shopB, idempotencyKey: 'event-1:0' });
    expect(elsewhere.code).not.toBe(first.code);
  });

  it('counts concurrent attempts exactly (no lost increments)', async () => {
    const now = new Date();
    const hits = await Promise.all(Array.from({ length: 12 }, () => countAttempt(prismaQuery(prisma), 'test:race', { limit: 5, windowMs: 3600_000 }, now)));
    expect(hits.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    expect(hits.filter((hit) => hit.allowed)).toHaveLength(5);
  });

  it('forgets counters of every key a day after their window', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    for (let client = 0; client < 5; client++) {
      await countAttempt(prismaQuery(prisma), `checkout:203.0.113.${client}`, { limit: 10, windowMs: 60_000 }, new Date(now.getTime() - 2 * 86_400_000));
    }
    await countAttempt(prismaQuery(prisma), 'checkout:198.51.100.1', { limit: 10, windowMs: 60_000 }, now);
    const left = await prisma.rateLimit.findMany({ where: { key: { startsWith: 'checkout:' } } });
    expect(left.map((row) => row.key)).toEqual(['checkout:198.51.100.1']);
  });
});
