import type { Language } from '../../i18n/i18n.js';

export type IconName = 'bolt' | 'plus' | 'list' | 'chart' | 'question' | 'globe';

export interface RichMenuButton {
  /** Sent as the user's message when tapped: exactly what they could type. */
  command: string;
  icon: IconName;
  labels: Record<Language, string>;
}

// LINE's large rich menu size; 3 × 2 buttons of 833 × 843 px.
export const RICH_MENU_WIDTH = 2500;
export const RICH_MENU_HEIGHT = 1686;
const RICH_MENU_COLUMNS = 3;
const RICH_MENU_ROWS = 2;

// The labels match the bot's own buttons; the image is drawn from them with bundled fonts.
export const RICH_MENU_BUTTONS: RichMenuButton[] = [
  { command: 'quick', icon: 'bolt', labels: { ja: 'クイックリンク', en: 'Quick link', ko: '퀵 링크' } },
  { command: 'create', icon: 'plus', labels: { ja: '作成', en: 'Create', ko: '만들기' } },
  { command: 'links', icon: 'list', labels: { ja: 'リンク一覧', en: 'My links', ko: '링크 목록' } },
  { command: 'summary', icon: 'chart', labels: { ja: '売上サマリー', en: 'Sales summary', ko: '매출 요약' } },
  { command: 'help', icon: 'question', labels: { ja: 'ヘルプ', en: 'Help', ko: '도움말' } },
  { command: 'language', icon: 'globe', labels: { ja: '言語', en: 'Language', ko: '언어' } },
];

/** ≤ 14 characters (LINE's limit for the chat bar label). */
const CHAT_BAR_TEXT = 'メニュー Menu 메뉴';

export function buttonBounds(index: number): { x: number; y: number; width: number; height: number } {
  const column = index % RICH_MENU_COLUMNS;
  const row = Math.floor(index / RICH_MENU_COLUMNS);
  const x = Math.round((column * RICH_MENU_WIDTH) / RICH_MENU_COLUMNS);
  const y = Math.round((row * RICH_MENU_HEIGHT) / RICH_MENU_ROWS);
  return {
    x,
    y,
    width: Math.round(((column + 1) * RICH_MENU_WIDTH) / RICH_MENU_COLUMNS) - x,
    height: Math.round(((row + 1) * RICH_MENU_HEIGHT) / RICH_MENU_ROWS) - y,
  };
}

/** The rich menu as LINE's API takes it: each area sends its command as the user's message. */
export function richMenuDefinition() {
  return {
    size: { width: RICH_MENU_WIDTH, height: RICH_MENU_HEIGHT },
    selected: true,
    name: 'Payment links (ja/en/ko)',
    chatBarText: CHAT_BAR_TEXT,
    areas: RICH_MENU_BUTTONS.map((button, index) => ({
      bounds: buttonBounds(index),
      action: { type: 'message' as const, label: button.labels.en, text: button.command },
    })),
  };
}
