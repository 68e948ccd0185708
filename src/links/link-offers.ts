import { commandButton, reply, text } from '../conversation/machine.js';
import type { Context, Step } from '../conversation/types.js';
import { formatPrice } from '../i18n/format.js';
import { parseAmount } from './amount.js';
import { isMakeLinkIntent } from './intents.js';

function notMember(ctx: Context): Step {
  return reply(text(ctx.t('auth.notMember'), [commandButton(ctx.t('buttons.help'), 'help')]));
}

/**
 * Free text that is about making a link, outside any dialog: "make a link" / "リンク作りたい" /
 * "링크 만들기" offers Quick and Create; a bare amount ("1500", "¥1,500") offers a Quick link
 * with that price already filled in (the button carries the amount as typed). Null otherwise.
 */
export function understandLinkText(body: string, ctx: Context): Step | null {
  if (isMakeLinkIntent(body)) {
    if (!ctx.membership) return notMember(ctx);
    return reply(text(ctx.t('links:offer.makeLink'), [commandButton(ctx.t('buttons.quick'), 'quick'), commandButton(ctx.t('buttons.create'), 'create')]));
  }
  const amount = parseAmount(body, ctx.membership?.currency ?? 'JPY');
  if (!amount.ok) return null;
  if (!ctx.membership) return notMember(ctx);
  const price = formatPrice(amount.amount, amount.currency, ctx.language);
  return reply(
    text(ctx.t('links:offer.amount', { price }), [
      commandButton(ctx.t('links:offer.quickWith', { price }), 'quick', [body]),
      commandButton(ctx.t('links:offer.createWith', { price }), 'create', [body]),
      commandButton(ctx.t('buttons.help'), 'help'),
    ]),
  );
}
