import type { MatchedCommand } from '../conversation/commands.js';
import { commandButton, reply, text, type ActionHandler, type Capability, type ResultHandlers } from '../conversation/machine.js';
import type { Button, Context, EffectResultOf, Step } from '../conversation/types.js';
import { LINKS_PAGE_SIZE, type LinkPurpose, type SalesEffect } from './effects.js';
import { REFUND_ACTIONS, refundChat } from '../refunds/chat.js';
import { startDuplicateDialog } from '../links/dialogs/create-link-dialog.js';
import { startEditDialog } from '../links/dialogs/edit-link-dialog.js';
import { shareText } from '../links/link-card.js';
import { linksCarousel, salesLinkCard } from './links-carousel.js';
import { linkState } from './sales-link-view.js';
import { summaryCard } from './summary-card.js';
import { todayCard } from './today-card.js';
import { readDigestTime } from './digest-time.js';
import { formatDateTime } from '../i18n/format.js';
import { transactionsReply } from './transactions.js';

/** One sales effect for the merchant the user is acting for (the machine already refused guests). */
function perform(ctx: Context, build: (merchantId: string) => SalesEffect): Step {
  const merchantId = ctx.membership?.merchantId;
  if (!merchantId) return reply(text(ctx.t('auth.notMember')));
  return { state: null, replies: [], effect: build(merchantId) };
}

function pageArgument(raw: string | undefined, first: number): number {
  const page = Number(raw);
  return Number.isSafeInteger(page) && page >= first ? page : first;
}

function linksButton(ctx: Context): Button {
  return commandButton(ctx.t('sales:buttons.links'), 'links');
}

function listLinks(page: number, ctx: Context): Step {
  return perform(ctx, (merchantId) => ({ type: 'sales.listLinks', merchantId, page }));
}

function showSummary(linkId: string | undefined, ctx: Context): Step {
  if (!linkId) return reply(text(ctx.t('sales:summary.askName'), [linksButton(ctx)]));
  return perform(ctx, (merchantId) => ({ type: 'sales.loadSummary', merchantId, linkId }));
}

/** The shop's day so far; `summary` with no name adds the whole shop's 30-day picture. */
function showToday(ctx: Context, withChart: boolean): Step {
  return perform(ctx, (merchantId) => ({ type: 'sales.loadToday', merchantId, at: ctx.now.toISOString(), withChart }));
}

function summaryByName(command: MatchedCommand, ctx: Context): Step {
  const name = command.argument.trim();
  if (name === '') return showToday(ctx, true);
  return perform(ctx, (merchantId) => ({ type: 'sales.findLinkByName', merchantId, name }));
}

function setStatus(args: string[], ctx: Context): Step {
  const [linkId, status] = args;
  if (!linkId || (status !== 'active' && status !== 'inactive')) return reply(text(ctx.t('sales:refused.notFound')));
  // Refused here for a quick, clear answer; the effect checks the role again against the database.
  if (ctx.membership?.role !== 'owner') return reply(text(ctx.t('sales:refused.notOwner')));
  return perform(ctx, (merchantId) => ({ type: 'sales.setStatus', merchantId, linkId, status }));
}

/** The button each typed link command stands for: its action and arguments, and whether only owners have it. */
const LINK_PURPOSES: Record<LinkPurpose, { action: string; args: (linkId: string) => string[]; ownerOnly: boolean }> = {
  summary: { action: 'summary', args: (linkId) => [linkId], ownerOnly: false },
  // The refunds capability's list of a link's payments, with Refund and (for awaiting ones) Cancel.
  refund: { action: REFUND_ACTIONS.choose, args: (linkId) => [linkId, '1'], ownerOnly: true },
  cancel: { action: REFUND_ACTIONS.choose, args: (linkId) => [linkId, '1'], ownerOnly: true },
  deactivate: { action: 'sales.setStatus', args: (linkId) => [linkId, 'inactive'], ownerOnly: true },
  activate: { action: 'sales.setStatus', args: (linkId) => [linkId, 'active'], ownerOnly: true },
  transactions: { action: 'sales.transactions', args: (linkId) => [linkId, '1'], ownerOnly: false },
  qr: { action: 'sales.qr', args: (linkId) => [linkId], ownerOnly: false },
  edit: { action: 'sales.edit', args: (linkId) => [linkId], ownerOnly: false },
  duplicate: { action: 'sales.duplicate', args: (linkId) => [linkId], ownerOnly: false },
};

/** `refund Coffee`, `受付停止 コーヒー`, …: the link looked up by name, then the same step as its button. */
function linkCommand(purpose: LinkPurpose) {
  return (command: MatchedCommand, ctx: Context): Step => {
    if (LINK_PURPOSES[purpose].ownerOnly && ctx.membership?.role !== 'owner') return reply(text(ctx.t('sales:byName.ownerOnly')));
    const name = command.argument.trim();
    if (name === '') return reply(text(ctx.t('sales:byName.ask', { example: ctx.t(`sales:byName.examples.${purpose}`) }), [linksButton(ctx)]));
    return perform(ctx, (merchantId) => ({ type: 'sales.findLinkByName', merchantId, name, purpose }));
  };
}

function linkButton(link: { id: string; productName: string }, purpose: LinkPurpose) {
  const { action, args } = LINK_PURPOSES[purpose];
  return commandButton(link.productName, action, args(link.id));
}

function nameMatched(result: EffectResultOf<'sales.nameMatched'>, ctx: Context): Step {
  const { t } = ctx;
  const { match, query } = result;
  const purpose = result.purpose ?? 'summary';
  switch (match.kind) {
    case 'one': {
      const { action, args } = LINK_PURPOSES[purpose];
      const handler = Object.hasOwn(linkActions, action) ? linkActions[action] : undefined;
      return handler ? handler(args(match.link.id), ctx) : showSummary(match.link.id, ctx);
    }
    case 'several':
      return reply(
        text(
          t('sales:summary.several', { query }),
          match.links.map((link) => linkButton(link, purpose)),
        ),
      );
    case 'none': {
      const none = t('sales:summary.none', { query });
      if (match.suggestions.length === 0) return reply(text(none, [linksButton(ctx)]));
      const buttons = match.suggestions.map((link) => linkButton(link, purpose));
      const names = match.suggestions.map((link) => `• ${link.productName}`).join('\n');
      return reply(text(`${none}\n${t('sales:summary.suggestions')}\n${names}`, [...buttons, linksButton(ctx)]));
    }
  }
}

/** Results arriving outside a dialog. */
const results: ResultHandlers = {
  'sales.linksListed': (result, ctx) => reply(linksCarousel({ ...result, pageSize: LINKS_PAGE_SIZE }, ctx)),
  'sales.nameMatched': nameMatched,
  'sales.digestSet': digestSet,
  'sales.todayLoaded': (result, ctx) => reply(todayCard(result.today, ctx), ...(result.chartUrl ? [{ kind: 'image' as const, url: result.chartUrl }] : [])),
  'sales.summaryLoaded': (result, ctx) => reply(summaryCard(result.link, result.summary, ctx), ...(result.chartUrl ? [{ kind: 'image' as const, url: result.chartUrl }] : [])),
  'sales.linkLoaded': (result, ctx) => {
    if (result.purpose === 'edit') return startEditDialog(result.link, ctx);
    if (result.purpose === 'duplicate') return startDuplicateDialog({ ...result.link, imageId: result.imageId ?? null }, ctx);
    const { link } = result;
    const share: Button = { label: ctx.t('sales:buttons.share'), action: { type: 'share', text: shareText(link) } };
    return reply({ kind: 'image', url: link.qrUrl }, text(ctx.t('sales:qr.text', { product: link.productName, url: link.url }), [share, linksButton(ctx)]));
  },
  'sales.statusChanged': (result, ctx) => {
    const { link } = result;
    const state = linkState(link, ctx.now);
    const message =
      link.status === 'inactive'
        ? ctx.t('sales:status.deactivated', { product: link.productName })
        : state === 'active'
          ? ctx.t('sales:status.activated', { product: link.productName })
          : ctx.t('sales:status.activatedButClosed', { product: link.productName, state: ctx.t(`sales:state.${state}`) });
    return reply(text(message), { kind: 'card', altText: message, card: salesLinkCard(link, ctx) });
  },
  'sales.transactionsListed': (result, ctx) => reply(transactionsReply(result, ctx)),
  'sales.refused': (result, ctx) => reply(text(ctx.t(`sales:refused.${result.reason}`), [linksButton(ctx)])),
};

/** `digest 21:00` / `digest off`; alone, or with something unreadable, how to use it. */
function setDigest(argument: string, ctx: Context): Step {
  const minutes = readDigestTime(argument);
  if (minutes === undefined) {
    const buttons = [commandButton('21:00', 'sales.digest', ['21:00']), commandButton(ctx.t('sales:digest.offButton'), 'sales.digest', ['off'])];
    return reply(text(ctx.t(argument.trim() === '' ? 'sales:digest.usage' : 'sales:digest.invalid'), buttons));
  }
  return perform(ctx, (merchantId) => ({ type: 'sales.setDigest', merchantId, minutes, at: ctx.now.toISOString() }));
}

function digestSet(result: EffectResultOf<'sales.digestSet'>, ctx: Context): Step {
  if (result.minutes === null || result.nextAt === null) return reply(text(ctx.t('sales:digest.off')));
  const time = `${Math.floor(result.minutes / 60)}:${String(result.minutes % 60).padStart(2, '0')}`;
  return reply(text(ctx.t('sales:digest.on', { time, next: formatDateTime(result.nextAt, ctx.language) }), [commandButton(ctx.t('sales:digest.offButton'), 'sales.digest', ['off'])]));
}

/** The sales capability's button actions. */
const salesActions: Record<string, ActionHandler> = {
  links: ([page], ctx) => listLinks(pageArgument(page, 0), ctx),
  summary: ([linkId], ctx) => showSummary(linkId, ctx),
  today: (_args, ctx) => showToday(ctx, false),
  'sales.digest': (args, ctx) => setDigest(args.join(' '), ctx),
  'sales.qr': ([linkId], ctx) => (linkId ? perform(ctx, (merchantId) => ({ type: 'sales.loadLink', merchantId, linkId, purpose: 'qr' })) : showSummary(undefined, ctx)),
  'sales.setStatus': setStatus,
  'sales.duplicate': ([linkId], ctx) => (linkId ? perform(ctx, (merchantId) => ({ type: 'sales.loadLink', merchantId, linkId, purpose: 'duplicate' })) : showSummary(undefined, ctx)),
  'sales.edit': ([linkId], ctx) => (linkId ? perform(ctx, (merchantId) => ({ type: 'sales.loadLink', merchantId, linkId, purpose: 'edit' })) : showSummary(undefined, ctx)),
  'sales.transactions': ([linkId, page], ctx) =>
    linkId ? perform(ctx, (merchantId) => ({ type: 'sales.listTransactions', merchantId, linkId, page: pageArgument(page, 1) })) : showSummary(undefined, ctx),
};

/** Every action a typed link command may stand for: this capability's and the refunds list. */
const linkActions: Record<string, ActionHandler> = { ...salesActions, [REFUND_ACTIONS.choose]: (args, ctx) => refundChat.actions?.[REFUND_ACTIONS.choose]?.(args, ctx) ?? showSummary(undefined, ctx) };

/**
 * The merchant's view of their links: the list, each link's Total Sales Summary and payments,
 * QR code, activate/deactivate, duplicating and starting an edit (the edit dialog is the links capability's). Every link id in a button is re-authorised when the
 * effect runs (perform-effects.ts).
 */
export const salesChat: Capability = {
  commands: {
    links: { words: ['links', 'リンク', 'リンク一覧', '링크', '링크목록'], run: (_command, ctx) => listLinks(0, ctx) },
    summary: { words: ['summary', '売上', 'サマリー', '매출', '요약'], run: summaryByName },
    today: { words: ['today', '今日', 'きょう', '本日', '오늘'], run: (_command, ctx) => showToday(ctx, false) },
    digest: { words: ['digest', 'ダイジェスト', '日報', '다이제스트', '일일요약'], run: (command, ctx) => setDigest(command.argument, ctx) },
    refund: { words: ['refund', '返金', '환불'], run: linkCommand('refund') },
    cancelPayment: { words: ['取り消し', '取消', '결제취소'], run: linkCommand('cancel') },
    deactivate: { words: ['deactivate', 'stop', '受付停止', '停止', '판매중지', '중지'], run: linkCommand('deactivate') },
    activate: { words: ['activate', 'reopen', '受付再開', '再開', '판매재개', '재개'], run: linkCommand('activate') },
    transactions: { words: ['transactions', 'payments', '取引一覧', '取引', '거래내역', '거래'], run: linkCommand('transactions') },
    qr: { words: ['qr', 'QRコード', 'QR코드'], run: linkCommand('qr') },
    edit: { words: ['edit', '編集', '수정'], run: linkCommand('edit') },
    duplicate: { words: ['duplicate', 'copy', '複製', '복제'], run: linkCommand('duplicate') },
  },
  // `cancel <product>`: the payments to cancel; plain `cancel` still only leaves a dialog.
  cancelWithArgument: linkCommand('cancel'),
  helpButtons: (ctx) => [commandButton(ctx.t('buttons.links'), 'links')],
  actions: salesActions,
  results,
};
