import { drawText } from './draw-text.js';
import { encodePng } from './encode-png.js';
import { circle, Raster, rectangle, roundedRectangle, type Contour, type Rgb } from './raster.js';
import { buttonBounds, RICH_MENU_BUTTONS, RICH_MENU_HEIGHT, RICH_MENU_WIDTH, type IconName } from './rich-menu-layout.js';

const BACKGROUND: Rgb = [255, 255, 255];
const CARD: Rgb = [236, 248, 241];
const ACCENT: Rgb = [6, 199, 85]; // LINE green
const ICON: Rgb = [255, 255, 255];
const PRIMARY_TEXT: Rgb = [17, 24, 39];
const SECONDARY_TEXT: Rgb = [55, 65, 81];

const CARD_MARGIN = 18;
const ICON_RADIUS = 125;

/** Icon shapes in a 100 × 100 box, scaled into the accent circle. */
function iconContours(icon: IconName): Contour[] {
  switch (icon) {
    case 'bolt':
      return [
        [
          [60, 6],
          [20, 56],
          [45, 56],
          [36, 94],
          [80, 40],
          [55, 40],
          [66, 6],
        ],
      ];
    case 'plus':
      return [rectangle(40, 14, 20, 72), rectangle(14, 40, 72, 20)];
    case 'list':
      return [18, 44, 70].flatMap((y) => [circle(22, y + 6, 8), rectangle(38, y, 48, 12)]);
    case 'chart':
      return [rectangle(14, 56, 18, 30), rectangle(41, 34, 18, 52), rectangle(68, 12, 18, 74), rectangle(8, 88, 84, 6)];
    case 'question':
      return [circle(50, 50, 42), circle(50, 50, 34, 34, true)];
    case 'globe':
      return [
        circle(50, 50, 42),
        circle(50, 50, 35, 35, true),
        circle(50, 50, 19, 42),
        circle(50, 50, 12, 35, true),
        rectangle(10, 46, 80, 8),
        rectangle(18, 26, 64, 6),
        rectangle(18, 68, 64, 6),
      ];
  }
}

function drawIcon(raster: Raster, icon: IconName, centerX: number, centerY: number): void {
  raster.fill([circle(centerX, centerY, ICON_RADIUS)], ACCENT);
  const size = ICON_RADIUS * 1.1;
  const place = (contour: Contour): Contour => contour.map(([x, y]) => [centerX + ((x - 50) / 100) * size, centerY + ((y - 50) / 100) * size]);
  raster.fill(iconContours(icon).map(place), ICON);
  if (icon === 'question') drawText(raster, '?', { centerX, baselineY: centerY + size * 0.27, size: size * 0.75, color: ICON });
}

/**
 * The trilingual rich menu (ja / en / ko labels under one icon per button), drawn from embedded
 * glyph outlines: no system fonts, no network.
 */
export function renderRichMenuImage(): Buffer {
  const raster = new Raster(RICH_MENU_WIDTH, RICH_MENU_HEIGHT, BACKGROUND);
  RICH_MENU_BUTTONS.forEach((button, index) => {
    const bounds = buttonBounds(index);
    raster.fill([roundedRectangle(bounds.x + CARD_MARGIN, bounds.y + CARD_MARGIN, bounds.width - 2 * CARD_MARGIN, bounds.height - 2 * CARD_MARGIN, 48)], CARD);
    const centerX = bounds.x + bounds.width / 2;
    drawIcon(raster, button.icon, centerX, bounds.y + 215);
    drawText(raster, button.labels.ja, { centerX, baselineY: bounds.y + 500, size: 100, color: PRIMARY_TEXT });
    drawText(raster, button.labels.en, { centerX, baselineY: bounds.y + 630, size: 88, color: SECONDARY_TEXT });
    drawText(raster, button.labels.ko, { centerX, baselineY: bounds.y + 755, size: 88, color: SECONDARY_TEXT });
  });
  return encodePng(raster.pixels, RICH_MENU_WIDTH, RICH_MENU_HEIGHT);
}
