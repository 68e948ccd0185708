import { beforeAll, describe, expect, it } from 'vitest';
import { updateLink } from '../../../src/links/update-link.js';
import { databaseKinds } from '../../support/databases.js';
import { seedLink, seedMerchant } from './sales-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const kinds = await databaseKinds();

describe.each(kinds)('updateLink on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);
  let teaId = '';
  let cakeId = '';

  beforeAll(async () => {
    await seedMerchant(prisma, 'cafe', [{ userId: 'U1', role: 'owner' }]);
    await seedMerchant(prisma, 'rival', [{ userId: 'U2', role: 'owner' }]);
    teaId = await seedLink(prisma, 'cafe', { productName: 'Tea' });
    cakeId = await seedLink(prisma, 'cafe', { productName: 'Cake' });
    await seedLink(prisma, 'rival', { productName: 'Scone' });
  });

  it('treats another merchant’s link like an unknown one', async () => {
    const change = { field: 'description', value: 'hijacked' };
    expect(await updateLink(prisma, { merchantId: 'rival', linkId: teaId, role: 'owner', change })).toEqual({ ok: false, reason: 'notFound' });
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: 'nope', role: 'owner', change })).toEqual({ ok: false, reason: 'notFound' });
    expect((await prisma.link.findUniqueOrThrow({ where: { id: teaId } })).description).toBe('');
  });

  it('lets staff change what a link shows, but not whether it takes payments', async () => {
    const asStaff = (change: unknown) => updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'staff', change });
    // A usage limit already reached, or an expiry a minute away, would close the link like Deactivate.
    expect(await asStaff({ field: 'status', value: 'inactive' })).toEqual({ ok: false, reason: 'ownerOnly' });
    expect(await asStaff({ field: 'usageLimit', value: 1 })).toEqual({ ok: false, reason: 'ownerOnly' });
    expect(await asStaff({ field: 'expiresAt', value: new Date(Date.now() + 3_600_000).toISOString() })).toEqual({ ok: false, reason: 'ownerOnly' });
    expect(await prisma.link.findUniqueOrThrow({ where: { id: teaId } })).toMatchObject({ status: 'active', usageLimit: null, expiresAt: null });
    expect(await asStaff({ field: 'description', value: 'Fresh' })).toMatchObject({ ok: true, link: { description: 'Fresh' } });
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'description', value: '' } })).toMatchObject({ ok: true });
  });

  it('never changes the amount or currency', async () => {
    for (const change of [
      { field: 'amount', value: 1 },
      { field: 'currency', value: 'USD' },
    ]) {
      expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change })).toEqual({ ok: false, reason: 'immutable' });
    }
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'slug', value: 'x' } })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps names unique per merchant, also for two renames racing', async () => {
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'productName', value: 'ＣＡＫＥ' } })).toEqual({ ok: false, reason: 'duplicateName' });
    // A name another merchant uses is fine; a case change of its own name too.
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'productName', value: 'Scone' } })).toMatchObject({
      ok: true,
      link: { productNameKey: 'scone' },
    });
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'productName', value: 'SCONE' } })).toMatchObject({
      ok: true,
      link: { productName: 'SCONE' },
    });

    const outcomes = await Promise.all([
      updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'productName', value: 'Muffin' } }),
      updateLink(prisma, { merchantId: 'cafe', linkId: cakeId, role: 'owner', change: { field: 'productName', value: 'muffin' } }),
    ]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([{ ok: false, reason: 'duplicateName' }]);
    expect(await prisma.link.count({ where: { merchantId: 'cafe', productNameKey: 'muffin' } })).toBe(1);
  });

  it('accepts only the merchant’s own images', async () => {
    await prisma.media.create({ data: { id: 'rival-photo', merchantId: 'rival', mimeType: 'image/png', bytes: new Uint8Array([1]), size: 1 } });
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: teaId, role: 'owner', change: { field: 'image', value: 'rival-photo' } })).toEqual({ ok: false, reason: 'unknownImage' });
  });

  it('sets and clears the optional limits', async () => {
    // Relative to now: an edited expiry must lie within the next year.
    const at = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await updateLink(prisma, { merchantId: 'cafe', linkId: cakeId, role: 'owner', change: { field: 'usageLimit', value: 3 } });
    await updateLink(prisma, { merchantId: 'cafe', linkId: cakeId, role: 'owner', change: { field: 'expiresAt', value: at } });
    expect(await prisma.link.findUniqueOrThrow({ where: { id: cakeId } })).toMatchObject({ usageLimit: 3, expiresAt: new Date(at) });
    await updateLink(prisma, { merchantId: 'cafe', linkId: cakeId, role: 'owner', change: { field: 'usageLimit', value: null } });
    await updateLink(prisma, { merchantId: 'cafe', linkId: cakeId, role: 'owner', change: { field: 'expiresAt', value: null } });
    expect(await prisma.link.findUniqueOrThrow({ where: { id: cakeId } })).toMatchObject({ usageLimit: null, expiresAt: null });
    expect(await updateLink(prisma, { merchantId: 'cafe', linkId: cakeId, role: 'owner', change: { field: 'usageLimit', value: 0 } })).toEqual({ ok: false, reason: 'invalid' });
  });
});
