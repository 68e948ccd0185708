import { normalizeText } from '../../conversation/normalize.js';
import type { Language } from '../../i18n/i18n.js';
import type { LinkStatus } from '../link-view.js';

function wordSet(words: string[]): ReadonlySet<string> {
  return new Set(words.map((word) => normalizeText(word).toLowerCase()));
}

const SKIP_WORDS = wordSet(['skip', 'none', 'no', 'nothing', 'スキップ', 'なし', '無し', 'ない', '건너뛰기', '스킵', '없음', '없다']);

// The "none" buttons' labels typed out (and their usual variants), for the field they belong to.
const NO_LIMIT_WORDS = wordSet(['no limit', 'unlimited', '上限なし', '上限無し', '無制限', '제한 없음', '제한없음', '무제한']);
const NO_EXPIRY_WORDS = wordSet(['no expiry', 'no expiration', 'never', '期限なし', '期限無し', '無期限', '기한 없음', '기한없음', '무기한']);

const LANGUAGE_WORDS: Record<Language, ReadonlySet<string>> = {
  ja: wordSet(['ja', 'japanese', '日本語', '日本', '일본어']),
  en: wordSet(['en', 'english', '英語', '영어']),
  ko: wordSet(['ko', 'korean', '韓国語', '한국어', '한국']),
};

const STATUS_WORDS: Record<LinkStatus, ReadonlySet<string>> = {
  active: wordSet(['active', 'on', 'yes', '受付中', '有効', '公開', 'オン', 'はい', '판매 중', '판매중', '활성', '활성화', '예']),
  inactive: wordSet(['inactive', 'off', '停止中', '無効', '非公開', '停止', 'オフ', '판매 중지', '판매중지', '비활성', '비활성화']),
};

function key(text: string): string {
  return normalizeText(text).toLowerCase();
}

/** "skip", "なし", "건너뛰기", … : the merchant leaves an optional field as it is. */
export function isSkipWord(text: string): boolean {
  return SKIP_WORDS.has(key(text));
}

/** "No limit", "上限なし", "무제한", … : a usage limit of none. */
export function isNoLimitWord(text: string): boolean {
  return NO_LIMIT_WORDS.has(key(text));
}

/** "No expiry", "期限なし", "무기한", … : no expiry. */
export function isNoExpiryWord(text: string): boolean {
  return NO_EXPIRY_WORDS.has(key(text));
}

export function readLanguage(text: string): Language | null {
  const word = key(text);
  for (const language of ['ja', 'en', 'ko'] as const) if (LANGUAGE_WORDS[language].has(word)) return language;
  return null;
}

export function readStatus(text: string): LinkStatus | null {
  const word = key(text);
  if (STATUS_WORDS.active.has(word)) return 'active';
  if (STATUS_WORDS.inactive.has(word)) return 'inactive';
  return null;
}
