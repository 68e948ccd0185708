// The sales picture the `summary` answer carries: a link's money kept per day (bars) with the four
// summary numbers, drawn as SVG and rendered to PNG by resvg with the Noto Sans JP / KR fonts that
// ship in npm packages (no system fonts, no network), so Japanese and Korean never show as boxes.
// Every text arrives already translated and formatted: this file only draws.
import { Resvg } from '@resvg/resvg-js';
import { createRequire } from 'node:module';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 900;

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'),
  require.resolve('@expo-google-fonts/noto-sans-jp/500Medium/NotoSansJP_500Medium.ttf'),
  require.resolve('@expo-google-fonts/noto-sans-kr/500Medium/NotoSansKR_500Medium.ttf'),
  require.resolve('@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf'),
];

const BACKGROUND = '#FFFFFF';
const ACCENT = '#06C755';
const GRID = '#E5E7EB';
const TEXT = '#111827';
const MUTED = '#4B5563';
const PANEL = '#ECF8F1';

export interface SalesChartView {
  /** ko draws with Noto Sans KR first, others with Noto Sans JP. */
  language: 'ja' | 'en' | 'ko';
  title: string;
  subtitle: string;
  /** The four summary numbers, label and formatted value. */
  figures: { label: string; value: string }[];
  /** Oldest first; `label` is the axis label (e.g. 11/28), shown for some bars only. */
  bars: { label: string; amount: number }[];
  /** The formatted largest bar, for the axis. */
  maxLabel: string;
  footnote: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.codePointAt(0)};`);
}

// Roughly how wide a character is drawn, in ems: CJK and Hangul fill the em, lower-case Latin
// and spaces about half of it, capitals, digits and the rest a little more.
function charWidth(char: string): number {
  if (/[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u.test(char)) return 1;
  if (/[a-z ,.]/.test(char)) return 0.5;
  return /[0-9]/.test(char) ? 0.56 : 0.64;
}

function ems(text: string): number {
  return Array.from(text).reduce((sum, char) => sum + charWidth(char), 0);
}

/** `text` cut (with "…") to fit `maxWidth` pixels at `size` (titles are names of up to 80 characters). */
function fit(text: string, size: number, maxWidth: number): string {
  const chars = Array.from(text);
  let width = 0;
  for (let index = 0; index < chars.length; index += 1) {
    width += charWidth(chars[index] ?? '') * size;
    if (width > maxWidth) return `${chars.slice(0, Math.max(0, index - 1)).join('')}…`;
  }
  return text;
}

export function salesChartSvg(view: SalesChartView): string {
  const family = view.language === 'ko' ? "'Noto Sans KR', 'Noto Sans JP'" : "'Noto Sans JP', 'Noto Sans KR'";
  const text = (x: number, y: number, size: number, weight: number, color: string, body: string, anchor = 'start') =>
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${color}" font-family="${family}" text-anchor="${anchor}">${escapeXml(body)}</text>`;
  const parts: string[] = [`<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="${BACKGROUND}"/>`];
  parts.push(text(60, 88, 46, 700, TEXT, fit(view.title, 46, CHART_WIDTH - 120)));
  parts.push(text(60, 136, 28, 500, MUTED, fit(view.subtitle, 28, CHART_WIDTH - 120)));

  // The four numbers, in panels across the top.
  const panelWidth = (CHART_WIDTH - 120 - 3 * 20) / 4;
  view.figures.slice(0, 4).forEach((figure, index) => {
    const x = 60 + index * (panelWidth + 20);
    parts.push(`<rect x="${x}" y="168" width="${panelWidth}" height="130" rx="18" fill="${PANEL}"/>`);
    parts.push(text(x + 20, 212, 24, 500, MUTED, fit(figure.label, 24, panelWidth - 40)));
    // A long amount gets a smaller size (down to 24 px) before it gets cut.
    const size = Math.max(24, Math.min(40, Math.floor((panelWidth - 30) / Math.max(1, ems(figure.value)))));
    parts.push(text(x + 20, 272, size, 700, TEXT, fit(figure.value, size, panelWidth - 30)));
  });

  // Bars: money kept per day.
  const top = 360;
  const bottom = 780;
  const left = 60;
  const right = CHART_WIDTH - 60;
  const max = Math.max(1, ...view.bars.map((bar) => bar.amount));
  parts.push(`<line x1="${left}" y1="${top}" x2="${right}" y2="${top}" stroke="${GRID}" stroke-width="2"/>`);
  parts.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="${MUTED}" stroke-width="2"/>`);
  parts.push(text(left, top - 12, 22, 500, MUTED, view.maxLabel));
  const slot = (right - left) / Math.max(1, view.bars.length);
  const width = Math.max(4, slot * 0.7);
  view.bars.forEach((bar, index) => {
    const x = left + index * slot + (slot - width) / 2;
    const height = Math.round(((bottom - top) * bar.amount) / max);
    if (height > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${bottom - height}" width="${width.toFixed(1)}" height="${height}" rx="3" fill="${ACCENT}"/>`);
    if (bar.label) parts.push(text(Math.min(x + width / 2, right - 28), bottom + 34, 22, 500, MUTED, bar.label, 'middle'));
  });
  parts.push(text(60, CHART_HEIGHT - 40, 22, 500, MUTED, fit(view.footnote, 22, CHART_WIDTH - 120)));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">${parts.join('')}</svg>`;
}

/** The chart as PNG (well under LINE's 1 MB for a preview image: flat colours compress well). */
export function renderSalesChart(view: SalesChartView): Buffer {
  const resvg = new Resvg(salesChartSvg(view), {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: view.language === 'ko' ? 'Noto Sans KR' : 'Noto Sans JP' },
  });
  return resvg.render().asPng();
}
