// Every dialog of every capability reads its stored slots through its own schema: a shape it does
// not know (an older release's, another dialog's) ends the conversation with a polite line in the
// user's language instead of being trusted. The dialogs are read from the assembled machine, so a
// new dialog is covered without editing this test.
import { describe, expect, it } from 'vitest';
import { createMachine } from '../../../src/bot/capabilities.js';
import { DialogDriver, NOW } from '../../support/dialog-driver.js';

const DIALOGS = Object.keys(createMachine().dialogs).sort();

const RESET = {
  en: "I was updated and couldn't continue your previous conversation.",
  ja: 'ボットが更新されたため、前回の操作を続けられませんでした。',
  ko: '봇이 업데이트되어 이전 대화를 이어갈 수 없었어요.',
} as const;

/** Slots of a shape no dialog here writes, with keys some of them do use but values of the wrong kind. */
const FOREIGN = { step: 'teleport', payment: 'pay_1', subscription: 42, draft: 'x', field: 'favouriteColour', code: 7, merchantId: 'm-1' };

describe('a dialog whose stored slots it does not know', () => {
  it('finds the dialogs of every capability', () => {
    expect(DIALOGS).toEqual(expect.arrayContaining(['refunds.request', 'discounts.links', 'shopProfile.value', 'subscriptions.confirm']));
  });

  describe.each(DIALOGS)('%s', (name) => {
    it.each(['en', 'ja', 'ko'] as const)('resets politely instead of trusting them (%s)', (language) => {
      const driver = new DialogDriver(language);
      driver.state = { name, dialogId: 'dlg-foreign', slots: { ...FOREIGN }, expiresAt: new Date(NOW.getTime() + 60_000) };
      const step = driver.say('1500');
      expect(step.effect).toBeUndefined();
      expect(step.state).toBeNull();
      expect(driver.text).toContain(RESET[language]);
    });
  });
});
