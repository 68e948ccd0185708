import type { EffectEnv } from '../bot/effects.js';
import type { Prisma } from '../db/database.js';
import type { Link } from '../generated/prisma/client.js';
import { fetchImage, type FetchImageOutcome } from '../links/fetch-image.js';
import { idForEvent } from '../links/perform-effects.js';
import { toLinkView } from '../links/link-view.js';
import { updateLink, type LinkChange, type UpdateLinkRefusal } from '../links/update-link.js';
import { membershipOf } from '../merchants/authorization.js';
import { listTransactions } from '../payments/list-transactions.js';
import { matchLinksByName, nameKey, type NameMatch } from './find-links-by-name.js';
import type { SalesLinkView } from './sales-link-view.js';
import type { TransactionView } from './transactions.js';
import { getLinkSummaries, getLinkSummary } from '../payments/summary.js';

/** Links per carousel page: LINE shows at most 12 bubbles, the 12th is kept for "more". */
export const LINKS_PAGE_SIZE = 11;
export const TRANSACTIONS_PAGE_SIZE = 10;
/** Newest names searched for near matches of `summary <name>` (exact names are always found). */
const NAME_SEARCH_LIMIT = 2000;

/** The four contract numbers; `asOf` is ISO 8601 (results are plain JSON). */
export interface SummaryView {
  capturedAmount: number;
  capturedPayments: number;
  pendingPayments: number;
  refundedPayments: number;
  asOf: string;
}

/** Why an action on a link was refused. 'notFound' also covers another shop's link: it leaks nothing. */
export type SalesRefusal = 'notFound' | 'notMember' | 'notOwner';

/** A change as the chat asks for it: an image arrives as a LINE message id to download first. */
export type SalesLinkChange = LinkChange | { field: 'imageMessage'; value: string };

/*
 * Every effect names the merchant the user acted for (ctx.membership at the time) and is
 * re-authorised when performed: the user must still be a member there and the link must belong
 * to that merchant. Postback data is signed, but a button can outlive a membership.
 */
export type SalesEffect =
  | { type: 'sales.listLinks'; merchantId: string; page: number }
  | { type: 'sales.findLinkByName'; merchantId: string; name: string }
  | { type: 'sales.loadSummary'; merchantId: string; linkId: string }
  | { type: 'sales.loadLink'; merchantId: string; linkId: string; purpose: 'qr' | 'edit' }
  | { type: 'sales.setStatus'; merchantId: string; linkId: string; status: 'active' | 'inactive' }
  | { type: 'sales.updateLink'; merchantId: string; linkId: string; change: SalesLinkChange }
  /** `page` is 1-based. */
  | { type: 'sales.listTransactions'; merchantId: string; linkId: string; page: number };

export type SalesEffectResult =
  | { type: 'sales.linksListed'; page: number; links: SalesLinkView[]; hasMore: boolean }
  | { type: 'sales.nameMatched'; query: string; match: NameMatch }
  | { type: 'sales.summaryLoaded'; link: SalesLinkView; summary: SummaryView }
  | { type: 'sales.linkLoaded'; purpose: 'qr' | 'edit'; link: SalesLinkView }
  | { type: 'sales.statusChanged'; link: SalesLinkView }
  | { type: 'sales.linkUpdated'; field: string; link: SalesLinkView }
  | { type: 'sales.updateRefused'; field: string; reason: Exclude<UpdateLinkRefusal, 'notFound'> }
  | { type: 'sales.imageRefused'; reason: Extract<FetchImageOutcome, { ok: false }>['reason'] }
  | { type: 'sales.transactionsListed'; link: SalesLinkView; page: number; transactions: TransactionView[]; hasMore: boolean }
  | { type: 'sales.refused'; reason: SalesRefusal };

/** The link, only if it belongs to the merchant (a foreign id looks exactly like an unknown one). */
function merchantLink(prisma: Prisma, merchantId: string, linkId: string): Promise<Link | null> {
  return prisma.link.findFirst({ where: { id: linkId, merchantId } });
}

/** Links with their usage and captured amount (one summary statement for the whole page). */
async function salesLinkViews(prisma: Prisma, links: Link[], publicBaseUrl: string): Promise<SalesLinkView[]> {
  const summaries = await getLinkSummaries(prisma, links.map((link) => link.id));
  return links.map((link) => {
    const summary = summaries.get(link.id);
    // The link page counts a usage limit against the summary's captured payments (link-availability.ts).
    return { ...toLinkView(link, publicBaseUrl), usedCount: summary?.capturedPayments ?? 0, capturedAmount: summary?.capturedAmount ?? 0 };
  });
}

async function salesLinkView(prisma: Prisma, link: Link, publicBaseUrl: string): Promise<SalesLinkView> {
  const [view] = await salesLinkViews(prisma, [link], publicBaseUrl);
  if (!view) throw new Error(`no view for link ${link.id}`);
  return view;
}

const refused = (reason: SalesRefusal): SalesEffectResult => ({ type: 'sales.refused', reason });

export async function performSalesEffect(effect: SalesEffect, env: EffectEnv): Promise<SalesEffectResult> {
  const { prisma } = env;
  const base = env.config.publicBaseUrl;
  const role = (await membershipOf(prisma, env.userId, effect.merchantId))?.role;
  if (!role) return refused('notMember');

  switch (effect.type) {
    case 'sales.listLinks': {
      const page = Math.max(0, Math.floor(effect.page));
      const rows = await prisma.link.findMany({
        where: { merchantId: effect.merchantId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: page * LINKS_PAGE_SIZE,
        take: LINKS_PAGE_SIZE + 1,
      });
      const links = await salesLinkViews(prisma, rows.slice(0, LINKS_PAGE_SIZE), base);
      return { type: 'sales.linksListed', page, links, hasMore: rows.length > LINKS_PAGE_SIZE };
    }
    case 'sales.findLinkByName': {
      // The exact name through the unique index, however old the link; the scan below is for near matches.
      const exact = await prisma.link.findFirst({
        where: { merchantId: effect.merchantId, productNameKey: nameKey(effect.name) },
        select: { id: true, productName: true, productNameKey: true },
      });
      if (exact) return { type: 'sales.nameMatched', query: effect.name, match: { kind: 'one', link: exact } };
      const candidates = await prisma.link.findMany({
        where: { merchantId: effect.merchantId },
        select: { id: true, productName: true, productNameKey: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: NAME_SEARCH_LIMIT,
      });
      return { type: 'sales.nameMatched', query: effect.name, match: matchLinksByName(effect.name, candidates) };
    }
    case 'sales.loadSummary': {
      const link = await merchantLink(prisma, effect.merchantId, effect.linkId);
      if (!link) return refused('notFound');
      const summary = await getLinkSummary(prisma, link.id);
      return {
        type: 'sales.summaryLoaded',
        link: { ...toLinkView(link, base), usedCount: summary.capturedPayments, capturedAmount: summary.capturedAmount },
        summary: {
          capturedAmount: summary.capturedAmount,
          capturedPayments: summary.capturedPayments,
          pendingPayments: summary.pendingPayments,
          refundedPayments: summary.refundedPayments,
          asOf: summary.asOf.toISOString(),
        },
      };
    }
    case 'sales.loadLink': {
      const link = await merchantLink(prisma, effect.merchantId, effect.linkId);
      if (!link) return refused('notFound');
      return { type: 'sales.linkLoaded', purpose: effect.purpose, link: await salesLinkView(prisma, link, base) };
    }
    case 'sales.setStatus': {
      if (role !== 'owner') return refused('notOwner');
      const result = await updateLink(prisma, { merchantId: effect.merchantId, linkId: effect.linkId, change: { field: 'status', value: effect.status } });
      if (!result.ok) return refused('notFound');
      return { type: 'sales.statusChanged', link: await salesLinkView(prisma, result.link, base) };
    }
    case 'sales.updateLink': {
      const { change } = effect;
      if (change.field === 'status' && role !== 'owner') return refused('notOwner');
      if (!(await merchantLink(prisma, effect.merchantId, effect.linkId))) return refused('notFound');
      let linkChange: LinkChange;
      if (change.field === 'imageMessage') {
        // Derived from the event, so a retried event stores the photo once.
        const mediaId = idForEvent('img', env);
        const stored = await fetchImage(env.line, prisma, { merchantId: effect.merchantId, messageId: change.value, mediaId });
        if (!stored.ok) return { type: 'sales.imageRefused', reason: stored.reason };
        linkChange = { field: 'image', value: stored.mediaId };
      } else {
        linkChange = change;
      }
      const result = await updateLink(prisma, { merchantId: effect.merchantId, linkId: effect.linkId, change: linkChange });
      if (!result.ok) {
        return result.reason === 'notFound' ? refused('notFound') : { type: 'sales.updateRefused', field: linkChange.field, reason: result.reason };
      }
      return { type: 'sales.linkUpdated', field: linkChange.field, link: await salesLinkView(prisma, result.link, base) };
    }
    case 'sales.listTransactions': {
      const link = await merchantLink(prisma, effect.merchantId, effect.linkId);
      if (!link) return refused('notFound');
      const page = Math.max(1, Math.floor(effect.page));
      const listed = await listTransactions(prisma, link.id, { page, pageSize: TRANSACTIONS_PAGE_SIZE });
      return {
        type: 'sales.transactionsListed',
        link: await salesLinkView(prisma, link, base),
        page,
        transactions: listed.items.map((item) => ({
          id: item.paymentId,
          state: item.state,
          amount: item.amount,
          refundedAmount: item.refundedAmount,
          at: item.occurredAt.toISOString(),
        })),
        hasMore: listed.hasMore,
      };
    }
  }
}
