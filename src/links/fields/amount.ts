import type { Context } from '../../conversation/types.js';
import { SUPPORTED_CURRENCIES, currencyDecimals, maxAmount, type Currency } from '../../i18n/currency.js';
import { amountExample, formatPrice } from '../../i18n/format.js';
import { AMOUNT_INPUT_MAX, parseAmount, type AmountError } from '../amount.js';
import type { LinkField } from './link-field.js';

function amountError(reason: AmountError, ctx: Context, currency: Currency): string {
  switch (reason) {
    case 'too_many_decimals': {
      const decimals = currencyDecimals(currency);
      const key = decimals === 0 ? 'links:amount.errors.no_decimals' : 'links:amount.errors.too_many_decimals';
      return ctx.t(key, { currency, decimals, example: amountExample(currency) });
    }
    case 'too_large':
      return ctx.t('links:amount.errors.too_large', { max: formatPrice(maxAmount(currency), currency, ctx.language) });
    case 'unknown_currency':
      return ctx.t('links:amount.errors.unknown_currency', { currencies: SUPPORTED_CURRENCIES.join(', ') });
    case 'too_long':
    case 'empty':
      return ctx.t('links:amount.errors.not_a_number');
    default:
      return ctx.t(`links:amount.errors.${reason}`);
  }
}

/** What a bare number means: the shop's currency (a Korean shop may price in won). */
function shopCurrencyOf(ctx: Context): Currency {
  return ctx.membership?.currency ?? 'JPY';
}

/** Which currency an error talks about: the one typed if recognisable, else the shop's. */
function currencyMentioned(input: string, ctx: Context): Currency {
  if (input.length > AMOUNT_INPUT_MAX) return shopCurrencyOf(ctx);
  const parsed = parseAmount(`1 ${input.replace(/[\d.,\s\-\u2212]/g, '').slice(0, 8)}`, shopCurrencyOf(ctx));
  return parsed.ok ? parsed.currency : shopCurrencyOf(ctx);
}

/** The price and its currency: fixed once issued (buyers may hold the URL showing it). */
export const amountField: LinkField<'amount'> = {
  id: 'amount',
  askedByCreate: true,
  advanced: false,
  freeText: false,
  question: (ctx) => ctx.t('links:amount.ask'),
  choices: () => [],
  parse(answer, ctx) {
    const parsed = parseAmount(answer, shopCurrencyOf(ctx));
    if (!parsed.ok) return { ok: false, error: amountError(parsed.reason, ctx, currencyMentioned(answer, ctx)) };
    return { ok: true, changes: { amount: parsed.amount, currency: parsed.currency } };
  },
  describe: (draft, ctx) => (draft.amount !== undefined && draft.currency ? formatPrice(draft.amount, draft.currency, ctx.language) : null),
};
