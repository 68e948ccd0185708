// The Billing field in the chat's link dialogs: quick → Advanced settings → Billing → Every month
// issues a subscription link that is card only and one unit; create's review card shows and edits
// it; edit never offers it (fixed once issued, like the price).
import { describe, expect, it } from 'vitest';
import { DialogDriver, linkView } from '../../../support/dialog-driver.js';

describe('Billing in the link dialogs', () => {
  it.each([
    ['en', 'Advanced settings', 'Edit Billing', 'Every month', 'Issue link'],
    ['ja', '詳細設定', '請求を編集', '毎月', 'リンクを作成'],
    ['ko', '고급 설정', '결제 주기 수정', '매월', '링크 만들기'],
  ] as const)('quick → Advanced → Billing → Every month issues a card-only subscription link (%s)', (language, advanced, edit, monthly, issue) => {
    const driver = new DialogDriver(language);
    driver.say('quick');
    driver.tap(advanced);
    driver.say('1000');
    driver.say('季節の和菓子の定期便'.repeat(8));
    driver.result({ type: 'links.nameChecked', productName: '季節の和菓子の定期便'.repeat(8), existing: null });
    expect(driver.slots).toMatchObject({ step: 'advanced' });
    driver.tap(edit);
    expect(driver.labels).toEqual(expect.arrayContaining([monthly]));
    driver.tap(monthly);
    expect(driver.slots).toMatchObject({ step: 'advanced' });
    expect(driver.text).toContain(monthly);
    const issued = driver.tap(issue);
    const card = driver.result({ type: 'links.created', link: { ...linkView({ language }), billingInterval: 'month', paymentTypes: ['credit_card'] } }).replies[0];
    expect(JSON.stringify(card)).toContain(monthly);
    expect(issued.effect).toMatchObject({
      type: 'links.create',
      draft: { amount: 1000, billingInterval: 'month', paymentTypes: ['credit_card'], quantityMin: 1, quantityMax: 1, usageLimit: null },
    });
  });

  it('a typed answer works too, and an unknown one is refused in the user’s language', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.tap('Advanced settings');
    driver.say('800');
    driver.say('Coffee club');
    driver.result({ type: 'links.nameChecked', productName: 'Coffee club', existing: null });
    driver.tap('Edit Billing');
    driver.say('fortnightly');
    expect(driver.text).toContain('Choose one-time, weekly, monthly or yearly.');
    driver.say('weekly');
    expect(driver.tap('Issue link').effect).toMatchObject({ draft: { billingInterval: 'week' } });
  });

  it('a duplicate of a subscription link bills the same way', () => {
    const driver = new DialogDriver('en');
    const link = { ...linkView({ productName: 'Coffee club', amount: 1200, language: 'en' }), billingInterval: 'month' as const, usedCount: 4, capturedAmount: 4800 };
    driver.result({ type: 'sales.linkLoaded', purpose: 'duplicate', link, imageId: null });
    expect(driver.slots).toMatchObject({ step: 'name', draft: { amount: 1200, billingInterval: 'month', paymentTypes: ['credit_card'], quantityMin: 1, quantityMax: 1 } });
    driver.say('Coffee club 2');
    driver.result({ type: 'links.nameChecked', productName: 'Coffee club 2', existing: null });
    expect(driver.text).toContain('Every month');
  });
});
