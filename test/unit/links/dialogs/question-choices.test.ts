// A buyer question's choices as merchants type them: one per line, so dates such as 12/12 stay
// whole; the dialog shows them back the same way.
import { describe, expect, it } from 'vitest';
import { DialogDriver } from '../../../support/dialog-driver.js';

describe('question choices in the quick dialog', () => {
  it('takes choices one per line, keeps dates whole, and shows them back one per line', () => {
    const driver = new DialogDriver('ja');
    driver.say('quick');
    driver.tap('詳細設定');
    driver.say('1200');
    driver.say('お弁当');
    driver.result({ type: 'links.nameChecked', productName: 'お弁当', existing: null });
    driver.tap('質問を編集');
    expect(driver.text).toContain('選択肢を1行に1つずつ');
    driver.say('受け取り日は？\n12/12\n12/13（土）\n・12/14');
    expect(driver.slots).toMatchObject({ step: 'advanced', draft: { question: { text: '受け取り日は?', choices: ['12/12', '12/13(土)', '12/14'] } } });
    expect(driver.text).toContain('受け取り日は?\n・12/12\n・12/13(土)\n・12/14');

    // On one line, a slash between digits is part of the date, not a separator.
    driver.tap('質問を編集');
    driver.say('受け取り日は？ 12/12 / 12/13');
    expect(driver.slots).toMatchObject({ draft: { question: { text: '受け取り日は?', choices: ['12/12', '12/13'] } } });
  });

  it('reads "Size? S / M / L" on one line as before, in English', () => {
    const driver = new DialogDriver('en');
    driver.say('quick');
    driver.tap('Advanced settings');
    driver.say('1500');
    driver.say('Tee');
    driver.result({ type: 'links.nameChecked', productName: 'Tee', existing: null });
    driver.tap('Edit Question');
    driver.say('Size? S / M / L');
    expect(driver.slots).toMatchObject({ draft: { question: { text: 'Size?', choices: ['S', 'M', 'L'] } } });
    expect(driver.text).toContain('Size?\n• S\n• M\n• L');
  });
});
