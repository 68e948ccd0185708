// The sales picture: a PNG LINE accepts (decodes, 1200 × 900, well under 1 MB), with its texts
// drawn from the shipped Noto fonts in all three languages (the rendered files were also looked at:
// no boxes in place of Japanese or Korean).
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/i18n.js';
import { renderSalesChart, salesChartSvg, CHART_HEIGHT, CHART_WIDTH, type SalesChartView } from '../../../src/sales/sales-chart.js';
import { salesChartView } from '../../../src/sales/sales-chart-view.js';
import { signChartToken, verifyChartToken, CHART_LIFETIME_MS } from '../../../src/sales/chart-token.js';

const days = Array.from({ length: 30 }, (_, index) => ({ day: new Date(Date.UTC(2026, 10, 1 + index)).toISOString().slice(0, 10), amount: ((index * 7) % 5) * 1500 }));
const summary = { currency: 'JPY', capturedAmount: 123456, capturedPayments: 42, pendingPayments: 3, refundedPayments: 1, otherCurrencies: {}, asOf: new Date('2026-11-30T03:00:00Z') };
const NAMES = { ja: '北海道産の朝摘み有機栽培ほうじ茶と季節の和菓子の詰め合わせ'.repeat(2), en: 'Hojicha & seasonal sweets', ko: '말차 롤케이크 선물 세트' } as const;

function view(language: 'ja' | 'en' | 'ko', title: string = NAMES[language]): SalesChartView {
  return salesChartView({ productName: title, currency: 'JPY' }, summary, days, language, translator(language, 'sales'));
}

/** Dark pixels in a box of the image (text is drawn in near-black on white). */
function ink(png: PNG, box: { x: number; y: number; width: number; height: number }): number {
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y += 1) {
    for (let x = box.x; x < box.x + box.width; x += 1) {
      const offset = (y * png.width + x) * 4;
      if ((png.data[offset] ?? 255) < 100) count += 1;
    }
  }
  return count;
}

function title(png: PNG): Buffer {
  const rows: Buffer[] = [];
  for (let y = 40; y < 100; y += 1) rows.push(png.data.subarray((y * png.width + 60) * 4, (y * png.width + 700) * 4));
  return Buffer.concat(rows);
}

describe('sales chart', () => {
  it.each(['ja', 'en', 'ko'] as const)('renders a %s PNG LINE accepts, with its texts in the SVG', (language) => {
    const bytes = renderSalesChart(view(language));
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(ink(png, { x: 60, y: 40, width: 600, height: 60 })).toBeGreaterThan(2000);
    const svg = salesChartSvg(view(language));
    expect(svg).toContain(translator(language, 'sales')('summary.capturedAmount'));
    // Yen reads ¥ in every language (src/i18n/format.ts, not the ICU build).
    expect(svg).toContain('¥123,456');
    expect(svg).toContain('>11/30<');
  });

  it('draws different Japanese and Korean words differently (glyphs, not identical boxes)', () => {
    const a = PNG.sync.read(renderSalesChart(view('ja', '売上合計')));
    const b = PNG.sync.read(renderSalesChart(view('ja', '返金済み')));
    const c = PNG.sync.read(renderSalesChart(view('ko', '매출합계')));
    const d = PNG.sync.read(renderSalesChart(view('ko', '환불완료')));
    expect(title(a).equals(title(b))).toBe(false);
    expect(title(c).equals(title(d))).toBe(false);
  });

  it('cuts an 80-character name to the width and escapes markup', () => {
    const svg = salesChartSvg(view('ja'));
    expect(svg).toMatch(/北海道産の朝摘み[^<]*…<\/text>/);
    expect(salesChartSvg(view('en', '<b>&"tea"</b>'))).toContain('&#60;b&#62;&#38;&#34;tea&#34;&#60;/b&#62;');
  });

  it('signs image URLs that expire and cannot be altered', () => {
    const now = Date.parse('2026-11-30T00:00:00Z');
    const token = signChartToken('secret-0123456789abcdef0123456789ab', { linkId: 'lnk_1' }, 'U1', 'ko', now);
    expect(verifyChartToken('secret-0123456789abcdef0123456789ab', token, now)).toEqual({ scope: { linkId: 'lnk_1' }, userId: 'U1', language: 'ko' });
    const shop = signChartToken('secret-0123456789abcdef0123456789ab', { merchantId: 'm1' }, 'U1', 'ja', now);
    expect(verifyChartToken('secret-0123456789abcdef0123456789ab', shop, now)).toEqual({ scope: { merchantId: 'm1' }, userId: 'U1', language: 'ja' });
    expect(verifyChartToken('secret-0123456789abcdef0123456789ab', token, now + CHART_LIFETIME_MS + 1)).toBeNull();
    expect(verifyChartToken('another-secret-0123456789abcdef0123', token, now)).toBeNull();
  });
});
