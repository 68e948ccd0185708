// How the chat and the share text describe a link's price: "¥1,500", or for a buyer-chosen price
// "You choose: ¥500–¥5,000"; tips as "10%, 15% (of the total)" or "¥200, ¥500". Pure.
import { formatPrice } from '../i18n/format.js';
import { translator, type Language } from '../i18n/i18n.js';
import type { Currency } from '../i18n/currency.js';
import type { LinkPrice, TipOptions } from './link-price.js';

export function linkPriceText(price: LinkPrice, currency: Currency, language: Language): string {
  if (price.mode === 'fixed') return formatPrice(price.amount, currency, language);
  return translator(language, 'pricing')('range', { min: formatPrice(price.min, currency, language), max: formatPrice(price.max, currency, language) });
}

/** The preset amounts a buyer-chosen link offers, "¥1,000, ¥2,000"; null when none. */
export function presetsText(price: LinkPrice, currency: Currency, language: Language): string | null {
  if (price.mode !== 'buyer' || price.presets.length === 0) return null;
  const t = translator(language, 'pricing');
  return price.presets.map((preset) => formatPrice(preset, currency, language)).join(t('tips.separator'));
}

export function tipOptionsText(tips: TipOptions, currency: Currency, language: Language): string {
  const t = translator(language, 'pricing');
  const values = tips.values.map((value) => (tips.kind === 'percent' ? `${value}%` : formatPrice(value, currency, language))).join(t('tips.separator'));
  return tips.kind === 'percent' ? t('tips.percent', { values }) : t('tips.amount', { values });
}
