// The seller's legal page per audience: a Japanese seller's 特定商取引法 items (to a Japanese or a
// Korean reader), a Korean seller's 전자상거래법 items; an empty optional item says it is disclosed
// on request, never 未登録.
import { describe, expect, it } from 'vitest';
import { renderLegalPage } from '../../../src/shop-profile/legal-page.js';
import type { ShopProfile } from '../../../src/merchants/shop-profile.js';
import { SHOP_TEXT_FIELDS } from '../../../src/merchants/shop-profile-rules.js';

const empty = Object.fromEntries(SHOP_TEXT_FIELDS.map((field) => [field, null])) as Record<(typeof SHOP_TEXT_FIELDS)[number], null>;
const base: ShopProfile = { merchantId: 'm', merchantName: 'Momo', shopSlug: '0123456789abcdef0123456789abcdef', logoId: null, country: null, currency: null, ...empty };
const japanese: ShopProfile = {
  ...base,
  country: 'JP',
  legalName: '株式会社モモ',
  legalAddress: '東京都渋谷区1-2-3',
  legalPhone: '03-1234-5678',
  legalEmail: 'shop@example.com',
  extraCharges: '送料全国一律500円',
  deliveryTiming: 'お支払い後3日以内に発送',
  returnsPolicy: '商品到着後7日以内',
};
const korean: ShopProfile = {
  ...base,
  country: 'KR',
  legalName: '주식회사 모모',
  legalResponsible: '김하나',
  legalAddress: '서울특별시 마포구 1-2',
  legalPhone: '02-123-4567',
  legalEmail: 'shop@example.kr',
  businessNumber: '123-45-67890',
};

function cell(page: string, testId: string): string | undefined {
  return new RegExp(`data-testid="legal-${testId}">([^<]*)<`).exec(page)?.[1];
}

describe('the legal page', () => {
  it('lists every item of 特定商取引法 and KOMOJU’s template for a Japanese seller', () => {
    const page = renderLegalPage(japanese, 'ja', 'https://shop.example');
    expect(page).toContain('<h1>特定商取引法に基づく表記</h1>');
    for (const label of [
      '販売業者',
      '運営統括責任者',
      '所在地',
      '電話番号',
      'メールアドレス',
      '販売価格',
      '商品代金以外の必要料金',
      'お支払い方法',
      'お支払い時期',
      '商品の引渡し時期',
      '返品・交換について',
    ]) {
      expect(page).toContain(`<dt>${label}</dt>`);
    }
    expect(cell(page, 'extraCharges')).toBe('送料全国一律500円');
    expect(cell(page, 'legalEmail')).toBe('shop@example.com');
    // An individual seller leaves 運営統括責任者 out: the accepted statement, not a warning.
    expect(cell(page, 'legalResponsible')).toBe('請求があった場合には遅滞なく開示します');
    expect(page).not.toContain('未登録');
  });

  it('titles a Japanese seller’s page so a Korean reader knows what it is', () => {
    const page = renderLegalPage(japanese, 'ko', 'https://shop.example');
    expect(page).toContain('<h1>판매자 정보 (일본 특정상거래법에 따른 표시)</h1>');
    expect(cell(page, 'legalResponsible')).toBe('요청하시면 지체 없이 알려 드립니다');
    expect(page).not.toMatch(/미등록|특정상거래법 표기/);
  });

  it('shows a Korean seller’s 전자상거래법 items as 판매자 정보', () => {
    const page = renderLegalPage(korean, 'ko', 'https://shop.example');
    expect(page).toContain('<h1>판매자 정보</h1>');
    for (const label of ['상호', '대표자', '사업장 주소', '전화번호', '이메일', '사업자등록번호', '통신판매업 신고번호']) expect(page).toContain(`<dt>${label}</dt>`);
    expect(cell(page, 'businessNumber')).toBe('123-45-67890');
    // Japan's rows are not a Korean seller's.
    expect(page).not.toContain('legal-extraCharges');
  });

  it('treats a shop never asked its country as Japanese (every shop before the question was)', () => {
    expect(renderLegalPage({ ...japanese, country: null }, 'ja', 'https://shop.example')).toContain('<h1>特定商取引法に基づく表記</h1>');
  });
});
