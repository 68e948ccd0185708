/** Whole messages that mean "I want to make a payment link", in en / ja / ko. Pure. */

import { normalizeText } from '../conversation/normalize.js';

const TRAILING_MARKS = /[\s!?.。、,~〜♪…\p{Extended_Pictographic}\uFE0F]+$/u;

const MAKE_LINK: readonly RegExp[] = [
  // make a link, create a payment link, new link, i want to make a link, can you make a link please
  /^(?:(?:i (?:want|would like|'d like|wanna) to|i want|let's|let me|can you|could you|can i|how (?:do|can) i|please|pls) )?(?:make|create|new|issue|generate|get)(?: me)?(?: a| an| new| the| my)*(?: (?:payment|pay|quick))? links?(?: please| pls)?$/u,
  /^(?:(?:a )?new )?(?:payment )?link please$/u,
  // リンク作りたい, 支払いリンクを作成したい, リンクを作って（ください）, リンク作成, リンクがほしい
  /^(?:支払い|決済|お支払い|クイック)?リンク(?:を|が)?(?:作(?:り|る|って|成|製)|つく(?:り|る|って)|ほし|欲し|発行)[ぁ-ん\u4E00-\u9FFF]*$/u,
  /^(?:新しい|新規)(?:支払い|決済)?リンク[ぁ-ん\u4E00-\u9FFF]*$/u,
  // 링크 만들기, 결제 링크 만들어 줘, 링크를 만들고 싶어요, 링크 생성
  /^(?:결제\s*|퀵\s*)?링크\s*(?:를|좀)?\s*(?:만들|생성|발급|주세요|줘)[가-힣\s]*$/u,
  /^(?:새\s*)(?:결제\s*)?링크[가-힣\s]*$/u,
];

/** True when the whole message asks to make a payment link ("make a link", "リンク作りたい", "링크 만들기"). */
export function isMakeLinkIntent(text: string): boolean {
  const key = normalizeText(text).toLowerCase().replace(TRAILING_MARKS, '').replace(/\s+/g, ' ');
  return MAKE_LINK.some((pattern) => pattern.test(key));
}
