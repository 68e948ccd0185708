import { Resvg } from '@resvg/resvg-js';
import { createRequire } from 'node:module';
import { buttonBounds, RICH_MENU_BUTTONS, RICH_MENU_HEIGHT, RICH_MENU_WIDTH, type IconName } from './rich-menu-layout.js';

const BACKGROUND = '#FFFFFF';
const CARD = '#ECF8F1';
const ACCENT = '#06C755'; // LINE green
const ICON = '#FFFFFF';
const PRIMARY_TEXT = '#111827';
const SECONDARY_TEXT = '#374151';

const CARD_MARGIN = 18;
const ICON_RADIUS = 125;

// Noto Sans JP draws the Japanese and English labels, Noto Sans KR the Korean ones; both ship as
// TTF files inside their npm packages, so drawing needs no system fonts and no network.
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'),
  require.resolve('@expo-google-fonts/noto-sans-jp/500Medium/NotoSansJP_500Medium.ttf'),
  require.resolve('@expo-google-fonts/noto-sans-kr/500Medium/NotoSansKR_500Medium.ttf'),
];

/** Icon shapes in a 100 × 100 box, white on the accent circle. */
function iconShapes(icon: IconName): string {
  switch (icon) {
    case 'bolt':
      return '<polygon points="60,6 20,56 45,56 36,94 80,40 55,40 66,6"/>';
    case 'plus':
      return '<rect x="40" y="14" width="20" height="72"/><rect x="14" y="40" width="72" height="20"/>';
    case 'list':
      return [18, 44, 70].map((y) => `<circle cx="22" cy="${y + 6}" r="8"/><rect x="38" y="${y}" width="48" height="12"/>`).join('');
    case 'chart':
      return '<rect x="14" y="56" width="18" height="30"/><rect x="41" y="34" width="18" height="52"/><rect x="68" y="12" width="18" height="74"/><rect x="8" y="88" width="84" height="6"/>';
    case 'question':
      return '<circle cx="50" cy="50" r="38" fill="none" stroke-width="8"/><text x="50" y="77" font-size="75" font-family="Noto Sans JP" font-weight="700" text-anchor="middle">?</text>';
    case 'globe':
      return [
        '<circle cx="50" cy="50" r="38.5" fill="none" stroke-width="7"/>',
        '<ellipse cx="50" cy="50" rx="15.5" ry="38.5" fill="none" stroke-width="7"/>',
        '<rect x="10" y="46" width="80" height="8"/><rect x="18" y="26" width="64" height="6"/><rect x="18" y="68" width="64" height="6"/>',
      ].join('');
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.codePointAt(0)};`);
}

function label(text: string, x: number, baseline: number, size: number, family: string, weight: number, color: string): string {
  return `<text x="${x}" y="${baseline}" font-size="${size}" font-family="${family}" font-weight="${weight}" fill="${color}" text-anchor="middle">${escapeXml(text)}</text>`;
}

/** The rich menu as SVG: one card per button with an icon and its ja / en / ko labels. */
function richMenuSvg(): string {
  const buttons = RICH_MENU_BUTTONS.map((button, index) => {
    const bounds = buttonBounds(index);
    const centerX = bounds.x + bounds.width / 2;
    const centerY = bounds.y + 215;
    const iconSize = ICON_RADIUS * 1.1;
    return [
      `<rect x="${bounds.x + CARD_MARGIN}" y="${bounds.y + CARD_MARGIN}" width="${bounds.width - 2 * CARD_MARGIN}" height="${bounds.height - 2 * CARD_MARGIN}" rx="48" fill="${CARD}"/>`,
      `<circle cx="${centerX}" cy="${centerY}" r="${ICON_RADIUS}" fill="${ACCENT}"/>`,
      `<g transform="translate(${centerX - iconSize / 2} ${centerY - iconSize / 2}) scale(${iconSize / 100})" fill="${ICON}" stroke="${ICON}" stroke-width="0">${iconShapes(button.icon)}</g>`,
      label(button.labels.ja, centerX, bounds.y + 500, 100, 'Noto Sans JP', 700, PRIMARY_TEXT),
      label(button.labels.en, centerX, bounds.y + 630, 88, 'Noto Sans JP', 500, SECONDARY_TEXT),
      label(button.labels.ko, centerX, bounds.y + 755, 88, 'Noto Sans KR', 500, SECONDARY_TEXT),
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${RICH_MENU_WIDTH}" height="${RICH_MENU_HEIGHT}" viewBox="0 0 ${RICH_MENU_WIDTH} ${RICH_MENU_HEIGHT}"><rect width="${RICH_MENU_WIDTH}" height="${RICH_MENU_HEIGHT}" fill="${BACKGROUND}"/>${buttons.join('')}</svg>`;
}

/** The trilingual rich menu (ja / en / ko labels under one icon per button) as a PNG, drawn by resvg. */
export function renderRichMenuImage(): Buffer {
  const resvg = new Resvg(richMenuSvg(), { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'Noto Sans JP' } });
  return resvg.render().asPng();
}
