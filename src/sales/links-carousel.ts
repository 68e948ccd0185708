import { linkPriceText } from '../links/link-price-text.js';
import { commandButton } from '../conversation/machine.js';
import type { Button, Card, Context, Reply } from '../conversation/types.js';
import { formatDateTime, formatPrice } from '../i18n/format.js';
import { linkCard, shareText } from '../links/link-card.js';
import { typedCommandButton } from './command-buttons.js';
import { linkState, type SalesLinkView } from './sales-link-view.js';

/** "Active", "Used up · TEST", "上限到達（テスト）", … */
export function stateLabel(link: SalesLinkView, ctx: Context): string {
  const state = ctx.t(`sales:state.${linkState(link, ctx.now)}`);
  return link.testMode ? ctx.t('sales:state.withTest', { state }) : state;
}

/** Summary, QR, Share, Activate/Deactivate (owners), Edit, Transactions, Duplicate for one link. */
function linkActionButtons(link: SalesLinkView, ctx: Context): Button[] {
  const { t } = ctx;
  const toggle =
    link.status === 'active'
      ? commandButton(t('sales:buttons.deactivate'), 'sales.setStatus', [link.id, 'inactive'])
      : commandButton(t('sales:buttons.activate'), 'sales.setStatus', [link.id, 'active']);
  return [
    { ...commandButton(t('sales:buttons.summary'), 'summary', [link.id]), style: 'primary' },
    { ...commandButton(t('sales:buttons.qr'), 'sales.qr', [link.id]), style: 'secondary' },
    { label: t('sales:buttons.share'), action: { type: 'share', text: shareText(link) }, style: 'secondary' },
    // Only owners may switch a link on or off: staff never see a button that would be refused.
    ...(ctx.membership?.role === 'owner' ? [{ ...toggle, style: 'secondary' as const }] : []),
    { ...commandButton(t('sales:buttons.edit'), 'sales.edit', [link.id]), style: 'secondary' },
    { ...commandButton(t('sales:buttons.transactions'), 'sales.transactions', [link.id, '1']), style: 'secondary' },
    { ...commandButton(t('sales:buttons.duplicate'), 'sales.duplicate', [link.id]), style: 'secondary' },
  ];
}

/** One link in the merchant's list: product, price, status, sales so far, and its actions. */
export function salesLinkCard(link: SalesLinkView, ctx: Context): Card {
  const { t } = ctx;
  const base = linkCard(link, ctx);
  const card: Card = {
    title: base.title,
    subtitle: link.price ? linkPriceText(link.price, link.currency, ctx.language) : formatPrice(link.amount, link.currency, ctx.language),
    rows: [
      { label: t('sales:list.status'), value: stateLabel(link, ctx) },
      { label: t('sales:list.captured'), value: formatPrice(link.capturedAmount, link.currency, ctx.language) },
      { label: t('sales:list.created'), value: formatDateTime(link.createdAt, ctx.language) },
    ],
    buttons: linkActionButtons(link, ctx),
  };
  if (base.badge !== undefined) card.badge = base.badge;
  if (base.imageUrl !== undefined) card.imageUrl = base.imageUrl;
  return card;
}

export interface LinksPage {
  page: number;
  pageSize: number;
  links: SalesLinkView[];
  hasMore: boolean;
}

/**
 * The `links` answer: a carousel of one page of links, newest first. When older links exist, a
 * last bubble (and a quick reply) opens the next page; LINE allows 12 bubbles in all.
 */
export function linksCarousel(listed: LinksPage, ctx: Context): Reply {
  const { t } = ctx;
  if (listed.links.length === 0) {
    const body = listed.page === 0 ? t('sales:list.empty') : t('sales:list.endOfList');
    return { kind: 'text', text: body, quickReplies: [typedCommandButton(t('sales:buttons.quick'), 'quick', ctx), typedCommandButton(t('sales:buttons.create'), 'create', ctx)] };
  }
  const cards = listed.links.map((link) => salesLinkCard(link, ctx));
  const next = commandButton(t('sales:buttons.nextPage'), 'links', [String(listed.page + 1)]);
  if (listed.hasMore) {
    const from = listed.page * listed.pageSize + 1;
    cards.push({
      title: t('sales:list.moreTitle'),
      rows: [],
      footnote: t('sales:list.moreBody', { from, to: from + listed.links.length - 1 }),
      buttons: [{ ...next, style: 'primary' }],
    });
  }
  const reply: Reply = { kind: 'carousel', altText: t('sales:list.altText', { page: listed.page + 1 }), cards };
  if (listed.hasMore) reply.quickReplies = [next];
  return reply;
}
