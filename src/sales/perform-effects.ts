import type { Prisma } from '../db/database.js';
import type { EffectEnv, Performers } from '../effect-env.js';
import type { Link } from '../generated/prisma/client.js';
import { toLinkView, type LinkUrlSettings } from '../links/link-view.js';
import { mayChangeLinkField, updateLink } from '../links/update-link.js';
import { membershipOf, type Role } from '../merchants/authorization.js';
import { countCapturedPlaces } from '../payments/link-offer.js';
import { listTransactions } from '../payments/list-transactions.js';
import { getLinkSummaries, getLinkSummary } from '../payments/summary.js';
import { isLanguage } from '../i18n/i18n.js';
import { signChartToken } from './chart-token.js';
import { mayReadBuyerDetails } from '../merchants/buyer-details-access.js';
import { LINKS_PAGE_SIZE, TRANSACTIONS_PAGE_SIZE, type SalesEffect, type SalesEffectResult, type SalesRefusal } from './effects.js';
import { matchLinksByName, nameKey } from './find-links-by-name.js';
import type { SalesLinkView } from './sales-link-view.js';
import { nextDigestDue, scheduleDigest, unscheduleDigests } from './digest-schedule.js';
import { shopTimeZone } from './shop-day.js';
import { getShopToday } from './shop-today.js';
import { getLinkFunnels } from './link-funnel.js';

/** Newest names searched for near matches of `summary <name>` (exact names are always found). */
const NAME_SEARCH_LIMIT = 2000;

/** The link, only if it belongs to the merchant (a foreign id looks exactly like an unknown one). */
function merchantLink(prisma: Prisma, merchantId: string, linkId: string): Promise<Link | null> {
  return prisma.link.findFirst({ where: { id: linkId, merchantId } });
}

/** Links with their usage and captured amount (one summary statement for the whole page). */
async function salesLinkViews(prisma: Prisma, links: Link[], urls: LinkUrlSettings): Promise<SalesLinkView[]> {
  const summaries = await getLinkSummaries(
    prisma,
    links.map((link) => link.id),
  );
  // A usage limit counts units (a quantity-3 purchase takes 3 places), as the link page does (payments/link-offer.ts).
  const places = new Map<string, number>();
  for (const link of links) if (link.usageLimit !== null && link.quantityMax > 1) places.set(link.id, await countCapturedPlaces(prisma, link.id));
  return links.map((link) => {
    const summary = summaries.get(link.id);
    return { ...toLinkView(link, urls), usedCount: places.get(link.id) ?? summary?.capturedPayments ?? 0, capturedAmount: summary?.capturedAmount ?? 0 };
  });
}

async function salesLinkView(prisma: Prisma, link: Link, urls: LinkUrlSettings): Promise<SalesLinkView> {
  const [view] = await salesLinkViews(prisma, [link], urls);
  if (!view) throw new Error(`no view for link ${link.id}`);
  return view;
}

const refused = (reason: SalesRefusal): SalesEffectResult => ({ type: 'sales.refused', reason });

type SalesPerformer<T extends SalesEffect['type']> = (effect: Extract<SalesEffect, { type: T }>, env: EffectEnv, role: Role) => Promise<SalesEffectResult>;

/** The user must still be a member of the merchant the effect names; the performer gets their role there. */
function forMember<T extends SalesEffect['type']>(perform: SalesPerformer<T>): (effect: Extract<SalesEffect, { type: T }>, env: EffectEnv) => Promise<SalesEffectResult> {
  return async (effect, env) => {
    const role = (await membershipOf(env.prisma, env.userId, effect.merchantId))?.role;
    if (!role) return refused('notMember');
    return perform(effect, env, role);
  };
}

export const salesPerformers: Performers<SalesEffect, SalesEffectResult> = {
  'sales.loadToday': forMember(async (effect, env) => {
    const { prisma } = env;
    const user = await prisma.lineUser.findUnique({ where: { id: env.userId }, select: { language: true } });
    const language = isLanguage(user?.language) ? user.language : 'ja';
    const today = await getShopToday(prisma, effect.merchantId, new Date(effect.at), shopTimeZone(language));
    if (!effect.withChart) return { type: 'sales.todayLoaded', today, chartUrl: null };
    // No 30-day picture for a shop that has taken no money yet: the card alone says enough.
    const paid = await prisma.payment.findFirst({ where: { link: { merchantId: effect.merchantId }, capturedAt: { not: null } }, select: { id: true } });
    if (!paid) return { type: 'sales.todayLoaded', today, chartUrl: null };
    const token = signChartToken(env.config.appSecret, { merchantId: effect.merchantId }, env.userId, language);
    return { type: 'sales.todayLoaded', today, chartUrl: `${env.config.publicBaseUrl}/charts/${token}.png` };
  }),
  'sales.setDigest': forMember(async (effect, env) => {
    const { prisma } = env;
    const owner = { merchantId: effect.merchantId, userId: env.userId };
    const now = new Date(effect.at);
    const user = await prisma.lineUser.findUnique({ where: { id: env.userId }, select: { language: true } });
    const zone = shopTimeZone(isLanguage(user?.language) ? user.language : 'ja');
    const due = effect.minutes === null ? null : nextDigestDue(now, effect.minutes, zone);
    await prisma.$transaction(async (tx) => {
      await tx.member.update({ where: { merchantId_userId: owner }, data: { digestMinutes: effect.minutes } });
      await unscheduleDigests(tx, owner, now);
      if (due) await scheduleDigest(tx, owner, due);
    });
    return { type: 'sales.digestSet', minutes: effect.minutes, nextAt: due ? due.at.toISOString() : null };
  }),
  'sales.listLinks': forMember(async (effect, env) => {
    const { prisma } = env;
    const page = Math.max(0, Math.floor(effect.page));
    const rows = await prisma.link.findMany({
      where: { merchantId: effect.merchantId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: page * LINKS_PAGE_SIZE,
      take: LINKS_PAGE_SIZE + 1,
    });
    const links = await salesLinkViews(prisma, rows.slice(0, LINKS_PAGE_SIZE), env.config);
    return { type: 'sales.linksListed', page, links, hasMore: rows.length > LINKS_PAGE_SIZE };
  }),
  'sales.findLinkByName': forMember(async (effect, env) => {
    const { prisma } = env;
    // The exact name through the unique index, however old the link; the scan below is for near matches.
    const exact = await prisma.link.findFirst({
      where: { merchantId: effect.merchantId, productNameKey: nameKey(effect.name) },
      select: { id: true, productName: true, productNameKey: true },
    });
    const purpose = effect.purpose ? { purpose: effect.purpose } : {};
    if (exact) return { type: 'sales.nameMatched', query: effect.name, match: { kind: 'one', link: exact }, ...purpose };
    const candidates = await prisma.link.findMany({
      where: { merchantId: effect.merchantId },
      select: { id: true, productName: true, productNameKey: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: NAME_SEARCH_LIMIT,
    });
    return { type: 'sales.nameMatched', query: effect.name, match: matchLinksByName(effect.name, candidates), ...purpose };
  }),
  'sales.loadSummary': forMember(async (effect, env) => {
    const { prisma } = env;
    const base = env.config.publicBaseUrl;
    const link = await merchantLink(prisma, effect.merchantId, effect.linkId);
    if (!link) return refused('notFound');
    const summary = await getLinkSummary(prisma, link.id);
    const funnel = (await getLinkFunnels(prisma, [link])).get(link.id);
    const user = await prisma.lineUser.findUnique({ where: { id: env.userId }, select: { language: true } });
    const chartToken = signChartToken(env.config.appSecret, { linkId: link.id }, env.userId, isLanguage(user?.language) ? user.language : 'ja');
    return {
      type: 'sales.summaryLoaded',
      chartUrl: `${base}/charts/${chartToken}.png`,
      link: await salesLinkView(prisma, link, env.config),
      summary: {
        capturedAmount: summary.capturedAmount,
        capturedPayments: summary.capturedPayments,
        pendingPayments: summary.pendingPayments,
        refundedPayments: summary.refundedPayments,
        otherCurrencies: summary.otherCurrencies,
        asOf: summary.asOf.toISOString(),
        ...(funnel ? { funnel } : {}),
      },
    };
  }),
  'sales.loadLink': forMember(async (effect, env) => {
    const { prisma } = env;
    const link = await merchantLink(prisma, effect.merchantId, effect.linkId);
    if (!link) return refused('notFound');
    return {
      type: 'sales.linkLoaded',
      purpose: effect.purpose,
      link: await salesLinkView(prisma, link, env.config),
      ...(effect.purpose === 'duplicate' ? { imageId: link.imageId } : {}),
    };
  }),
  'sales.setStatus': forMember(async (effect, env, role) => {
    const { prisma } = env;
    if (!mayChangeLinkField(role, 'status')) return refused('notOwner');
    const result = await updateLink(prisma, { merchantId: effect.merchantId, linkId: effect.linkId, role, change: { field: 'status', value: effect.status } });
    if (!result.ok) return refused('notFound');
    return { type: 'sales.statusChanged', link: await salesLinkView(prisma, result.link, env.config) };
  }),
  'sales.listTransactions': forMember(async (effect, env) => {
    const { prisma } = env;
    const link = await merchantLink(prisma, effect.merchantId, effect.linkId);
    if (!link) return refused('notFound');
    const page = Math.max(1, Math.floor(effect.page));
    const listed = await listTransactions(prisma, link.id, { page, pageSize: TRANSACTIONS_PAGE_SIZE });
    const showBuyerDetails = await mayReadBuyerDetails(prisma, effect.merchantId, env.userId);
    return {
      type: 'sales.transactionsListed',
      link: await salesLinkView(prisma, link, env.config),
      page,
      transactions: listed.items.map((item) => ({
        id: item.paymentId,
        state: item.state,
        amount: item.total,
        currency: item.currency,
        refundedAmount: item.refundedAmount,
        at: item.occurredAt.toISOString(),
        quantity: item.quantity,
        ...(item.buyerDetails && showBuyerDetails ? { buyerDetails: item.buyerDetails } : {}),
        ...(item.choices ? { choices: item.choices } : {}),
        ...(item.state === 'awaiting' && item.paymentDeadline ? { deadline: item.paymentDeadline.toISOString() } : {}),
        ...(item.fraud ? { fraud: true } : {}),
        ...(item.orderNumber === null ? {} : { orderNumber: item.orderNumber }),
        ...(item.subscriptionPayment === null ? {} : { subscriptionPayment: item.subscriptionPayment }),
      })),
      hasMore: listed.hasMore,
    };
  }),
};
