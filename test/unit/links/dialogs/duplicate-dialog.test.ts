// "Duplicate" on a link's card: create, pre-filled from the link, asking a new name first, then
// the review card; a name already in use is asked again.
import { describe, expect, it } from 'vitest';
import type { SalesLinkView } from '../../../../src/sales/sales-link-view.js';
import { DialogDriver, linkView } from '../../../support/dialog-driver.js';

function source(): SalesLinkView {
  return {
    ...linkView({ productName: '抹茶ラテ', amount: 680, description: '濃いめ', imageUrl: 'https://pay.example/media/img_1', language: 'ko', usageLimit: 10, expiresAt: '2026-12-01T00:00:00.000Z' }),
    usedCount: 3,
    capturedAmount: 2040,
  };
}

describe('duplicate a link', () => {
  it.each(['en', 'ja', 'ko'] as const)('asks a new name, then reviews a copy without limit or expiry (%s)', (language) => {
    const driver = new DialogDriver(language);
    driver.result({ type: 'sales.linkLoaded', purpose: 'duplicate', link: source(), imageId: 'img_1' });
    expect(driver.state?.name).toBe('links.create');
    expect(driver.slots).toMatchObject({ step: 'name', reviewed: true, draft: { amount: 680, currency: 'JPY', description: '濃いめ', imageId: 'img_1', language: 'ko', status: 'active' } });
    expect(driver.slots.draft).not.toHaveProperty('usageLimit');
    expect(driver.text).toContain('抹茶ラテ');
    driver.say('抹茶ラテ L');
    expect(driver.last.effect).toMatchObject({ type: 'links.checkName', productName: '抹茶ラテ L' });
    driver.result({ type: 'links.nameChecked', productName: '抹茶ラテ', existing: linkView({ productName: '抹茶ラテ' }) });
    expect(driver.slots).toMatchObject({ step: 'name' });
    driver.result({ type: 'links.nameChecked', productName: '抹茶ラテ L', existing: null });
    expect(driver.slots).toMatchObject({ step: 'review', draft: { productName: '抹茶ラテ L', amount: 680 } });
  });

  it('the duplicate button asks for the link to copy', () => {
    const driver = new DialogDriver('en');
    driver.send({ kind: 'postback', action: 'sales.duplicate', args: ['lnk_9'], dialogId: null });
    expect(driver.last.effect).toEqual({ type: 'sales.loadLink', merchantId: 'm-1', linkId: 'lnk_9', purpose: 'duplicate' });
  });
});
