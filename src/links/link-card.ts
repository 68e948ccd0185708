import { commandButton } from '../conversation/machine.js';
import type { Card, Context, OfferedPaymentMethod, Reply } from '../conversation/types.js';
import { translator } from '../i18n/i18n.js';
import { fitShareText } from '../line/render.js';
import { formatDateTime, formatPrice } from '../i18n/format.js';
import type { LinkView } from './link-view.js';
import { isAdjustable, type QuantityRange } from './quantity.js';
import type { BuyerDetailKind, BuyerFields } from './buyer-fields.js';
import { isPaymentType, PAYMENT_TYPES, type PaymentType } from './payment-types.js';
import { linkPriceText, presetsText, tipOptionsText } from './link-price-text.js';

/**
 * What the merchant forwards to a buyer, written in the link page's language, not the merchant's;
 * just the URL when a long product name, percent-encoded into the share URI, would not fit.
 */
export function shareText(link: LinkView): string {
  const t = translator(link.language, 'links');
  const price = link.price ? linkPriceText(link.price, link.currency, link.language) : formatPrice(link.amount, link.currency, link.language);
  const full = t('share.text', { product: link.productName, price, url: link.url });
  return fitShareText(full, link.url);
}

/** "Fixed: 1" / "1–10, chosen by the buyer". */
export function quantityText(range: QuantityRange, ctx: Context): string {
  return isAdjustable(range) ? ctx.t('links:quantity.range', { min: range.min, max: range.max }) : ctx.t('links:quantity.fixed', { count: range.min });
}

/** "Card, PayPay" / "All of the shop's". */
export function paymentTypesText(types: readonly PaymentType[], ctx: Context): string {
  return types.length === 0 ? ctx.t('links:paymentTypes.all') : types.map((type) => ctx.t(`links:paymentTypes.names.${type}`)).join(ctx.t('links:buyerAsk.separator'));
}

/**
 * The payment methods a link may restrict to, as the shop's account names them (KOMOJU's own names),
 * or every method we know while the account's list was never read.
 */
export function offeredMethodsText(ctx: Context): string {
  const separator = ctx.t('links:buyerAsk.separator');
  const offered = ctx.membership?.paymentMethods?.filter((method) => isPaymentType(method.type));
  if (offered && offered.length > 0) return offered.map((method) => method.names[ctx.language]).join(separator);
  return PAYMENT_TYPES.map((type) => ctx.t(`links:paymentTypes.names.${type}`)).join(separator);
}

/** Which chosen methods the account does not offer, and what it offers instead. */
export function notOfferedText(notOffered: readonly PaymentType[], offered: readonly OfferedPaymentMethod[], ctx: Context): string {
  const separator = ctx.t('links:buyerAsk.separator');
  return ctx.t('links:paymentTypes.notOffered', {
    methods: notOffered.map((type) => ctx.t(`links:paymentTypes.names.${type}`)).join(separator),
    offered: offered
      .filter((method) => isPaymentType(method.type))
      .map((method) => method.names[ctx.language])
      .join(separator),
  });
}

/** "Name, Phone" / "None". */
export function buyerAskText(kinds: readonly BuyerDetailKind[], ctx: Context): string {
  return kinds.length === 0 ? ctx.t('links:values.none') : kinds.map((kind) => ctx.t(`links:buyerAsk.kinds.${kind}`)).join(ctx.t('links:buyerAsk.separator'));
}

/** The question, then each choice on its own line as the merchant may type them ("・12/12"); "None". */
export function questionText(question: BuyerFields['question'], ctx: Context): string {
  if (!question) return ctx.t('links:values.none');
  return [question.text, ...question.choices.map((choice) => ctx.t('links:question.choice', { choice }))].join('\n');
}

/**
 * A link as a card: product, price, status, URL, and the Share / Copy link / Open / Summary
 * buttons. Shared by the creation dialogs and the merchant's link list.
 */
export function linkCard(link: LinkView, ctx: Context): Card {
  const { t } = ctx;
  const rows: Card['rows'] = [
    { label: t('links:card.status'), value: t(`links:status.${link.status}`) },
    { label: t('links:card.pageLanguage'), value: t(`languages.${link.language}`) },
  ];
  if (link.usageLimit !== null) rows.push({ label: t('links:card.usageLimit'), value: t('links:card.usageLimitValue', { count: link.usageLimit }) });
  const quantity = { min: link.quantityMin, max: link.quantityMax };
  if (isAdjustable(quantity) || quantity.min > 1) rows.push({ label: t('links:fields.quantity'), value: quantityText(quantity, ctx) });
  if (link.buyerFields.ask.length > 0) rows.push({ label: t('links:fields.buyerAsk'), value: buyerAskText(link.buyerFields.ask, ctx) });
  if (link.buyerFields.question) rows.push({ label: t('links:fields.question'), value: questionText(link.buyerFields.question, ctx) });
  const presets = link.price ? presetsText(link.price, link.currency, ctx.language) : null;
  if (presets) rows.push({ label: t('pricing:fields.presets'), value: presets });
  if (link.tipOptions) rows.push({ label: t('pricing:fields.tips'), value: tipOptionsText(link.tipOptions, link.currency, ctx.language) });
  if (link.paymentTypes.length > 0) rows.push({ label: t('links:fields.paymentTypes'), value: paymentTypesText(link.paymentTypes, ctx) });
  if (link.billingInterval) rows.push({ label: t('links:fields.billing'), value: t(`links:billing.values.${link.billingInterval}`) });
  if (link.expiresAt !== null) rows.push({ label: t('links:card.expiresAt'), value: formatDateTime(link.expiresAt, ctx.language) });
  rows.push({ label: t('links:card.url'), value: link.url });

  const card: Card = {
    title: link.productName,
    subtitle: link.price ? linkPriceText(link.price, link.currency, ctx.language) : formatPrice(link.amount, link.currency, ctx.language),
    rows,
    buttons: [
      { label: t('links:buttons.share'), action: { type: 'share', text: shareText(link) }, style: 'primary' },
      { label: t('links:buttons.copy'), action: { type: 'copy', text: link.url }, style: 'secondary' },
      // The merchant's own look: not counted as a buyer's view.
      { label: t('links:buttons.open'), action: { type: 'url', url: link.openUrl ?? link.url }, style: 'secondary' },
      { ...commandButton(t('links:buttons.summary'), 'summary', [link.id]), style: 'link' },
    ],
  };
  if (link.testMode) {
    card.badge = t('links:card.testBadge');
    card.footnote = t('links:card.testNote');
  }
  if (link.imageUrl) card.imageUrl = link.imageUrl;
  return card;
}

/**
 * The answer to a newly issued link (3 of LINE's 5 messages): the card, the QR code as an image,
 * and the bare URL for clients that cannot show Flex messages.
 */
export function issuedLinkReplies(link: LinkView, ctx: Context): Reply[] {
  return [
    {
      kind: 'card',
      altText: ctx.t('links:issued.altText', { product: link.productName, url: link.url }),
      card: { ...linkCard(link, ctx), footnote: [ctx.t('links:issued.note'), link.testMode ? ctx.t('links:card.testNote') : ''].filter(Boolean).join('\n') },
    },
    { kind: 'image', url: link.qrUrl },
    { kind: 'text', text: link.url },
  ];
}
