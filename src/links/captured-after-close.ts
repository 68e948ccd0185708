// A payment KOMOJU captured although its link no longer took payments at that moment — deactivated,
// expired, its usage limit already used up, or its discount code's cap already reached (a race the
// provider can create: a session opened while the link was open, paid after it closed). The payment
// is recorded like any other (the ledger follows KOMOJU); here the owner is told plainly which rule
// it broke, with the refunds capability's own Refund button (refunds/chat.ts `refunds.start`), so
// giving the money back is one tap. Runs on `payments.captured` (events/domain-events.ts); the push
// is keyed by the event, so a retried handler never tells twice.
import { commandButton, text } from '../conversation/machine.js';
import type { DomainEvent, EventHandlers, HandlerDeps } from '../events/domain-events.js';
import { formatDateTime, formatStoredPrice } from '../i18n/format.js';
import { isLanguage, translator } from '../i18n/i18n.js';
import { pushOnce, retryKeyFor } from '../line/line-client.js';
import { renderReplies } from '../line/render.js';
import { capturedSql } from './checkout-holds.js';
import { NO_LIVE_STATE, offerFor, offerTermsOf } from './offer-rule.js';

/** The refunds capability's entry for one payment (refunds/chat.ts REFUND_ACTIONS.start; owners only). */
const REFUND_START_ACTION = 'refunds.start';

type BrokenRule = 'inactive' | 'expired' | 'usedUp' | 'codeCap';

interface CapturedPayment {
  id: string;
  capturedAt: Date;
  quantity: number;
  discountCodeId: string | null;
  checkoutId: string | null;
}

/**
 * Places the link's payments captured before this one took (as the link page counts them: captured,
 * not refunded in full, not charged back; each by its quantity).
 */
async function placesCapturedBefore(deps: HandlerDeps, linkId: string, payment: CapturedPayment): Promise<number> {
  const [row] = await deps.prisma.$queryRaw<{ places: number }[]>`
    SELECT COALESCE(SUM(COALESCE(c."quantity", 1)), 0)::int AS "places"
      FROM "Payment" p LEFT JOIN "Checkout" c ON c."id" = p."checkoutId"
     WHERE p."linkId" = ${linkId}
       AND p."id" <> ${payment.id}
       AND p."capturedAt" IS NOT NULL
       AND (p."capturedAt" < ${payment.capturedAt} OR (p."capturedAt" = ${payment.capturedAt} AND p."id" < ${payment.id}))
       AND p."status" <> 'refunded'
       AND GREATEST(p."amountRefunded", COALESCE((SELECT SUM(r."amount") FROM "Refund" r WHERE r."paymentId" = p."id"), 0)) < COALESCE(p."total", p."amount")
       AND NOT EXISTS (SELECT 1 FROM "Refund" r WHERE r."paymentId" = p."id" AND r."chargeback")`;
  return row?.places ?? 0;
}

/** Uses of the code captured before this payment (a capture stays a use after a refund: discounts/code-uses.ts). */
async function codeUsesCapturedBefore(deps: HandlerDeps, payment: CapturedPayment & { discountCodeId: string }): Promise<number> {
  const [row] = await deps.prisma.$queryRaw<{ uses: number }[]>`
    SELECT COUNT(*)::int AS "uses"
      FROM "Checkout" c
     WHERE c."discountCodeId" = ${payment.discountCodeId}
       AND c."id" <> ${payment.checkoutId}
       AND ${capturedSql()}
       AND EXISTS (SELECT 1 FROM "Payment" q WHERE q."checkoutId" = c."id"
                    AND (q."capturedAt" < ${payment.capturedAt} OR (q."capturedAt" = ${payment.capturedAt} AND q."id" < ${payment.id})))`;
  return row?.uses ?? 0;
}

/** The rule the link (or its code) had closed by when the payment was captured; null: it was open. */
async function brokenRule(deps: HandlerDeps, link: Parameters<typeof offerTermsOf>[0] & { id: string; updatedAt: Date }, payment: CapturedPayment, codeCap: number | null): Promise<BrokenRule | null> {
  const terms = offerTermsOf(link);
  // The link's status and expiry as they are now were theirs at the capture only if the link was
  // not edited since; when it was, they say nothing about that moment (never a false alarm).
  // "updatedAt" moves with edits only: a page view and the QR code's cache leave it.
  const unchangedSince = link.updatedAt.getTime() <= payment.capturedAt.getTime();
  const asAtCapture = unchangedSince ? terms : { ...terms, status: 'active', expiresAt: null };
  const before = link.usageLimit === null ? 0 : await placesCapturedBefore(deps, link.id, payment);
  const offer = offerFor(asAtCapture, { ...NO_LIVE_STATE, captured: before }, payment.capturedAt);
  if (!offer.open) {
    if (offer.reason === 'inactive' || offer.reason === 'expired') return offer.reason;
    return 'usedUp';
  }
  if (offer.placesLeft !== null && payment.quantity > offer.placesLeft) return 'usedUp';
  if (codeCap !== null && payment.discountCodeId !== null && (await codeUsesCapturedBefore(deps, { ...payment, discountCodeId: payment.discountCodeId })) >= codeCap) return 'codeCap';
  return null;
}

/** Who is told: the link's creator when an owner (only owners refund), else the shop's first owner. */
async function ownerToTell(deps: HandlerDeps, merchantId: string, creatorId: string): Promise<{ userId: string; language: string } | null> {
  const owners = await deps.prisma.member.findMany({
    where: { merchantId, role: 'owner' },
    orderBy: { createdAt: 'asc' },
    select: { userId: true, user: { select: { language: true } } },
  });
  const owner = owners.find((member) => member.userId === creatorId) ?? owners[0];
  return owner ? { userId: owner.userId, language: owner.user.language } : null;
}

async function tellCapturedAfterClose(event: DomainEvent<'payments.captured'>, deps: HandlerDeps): Promise<void> {
  const row = await deps.prisma.payment.findUnique({
    where: { id: event.payload.paymentId },
    include: { link: true, checkout: { select: { id: true, quantity: true, discountCodeId: true, discountCode: true, discount: { select: { usageCap: true } } } } },
  });
  if (!row?.link || row.capturedAt === null || row.subscriptionId !== null) return;
  const payment: CapturedPayment = {
    id: row.id,
    capturedAt: row.capturedAt,
    quantity: row.checkout?.quantity ?? 1,
    discountCodeId: row.checkout?.discountCodeId ?? null,
    checkoutId: row.checkout?.id ?? null,
  };
  const rule = await brokenRule(deps, row.link, payment, row.checkout?.discount?.usageCap ?? null);
  if (rule === null) return;
  const owner = await ownerToTell(deps, row.link.merchantId, row.link.createdByUserId);
  if (!owner) {
    deps.log.warn({ paymentId: row.id, linkId: row.link.id, rule }, 'captured after close: the shop has no owner to tell');
    return;
  }
  const language = isLanguage(owner.language) ? owner.language : 'ja';
  const t = translator(language, 'links');
  const body = t(`capturedAfterClose.${rule}`, {
    product: row.link.productName,
    amount: formatStoredPrice(row.total ?? row.amount, row.currency, language),
    time: formatDateTime(row.capturedAt.toISOString(), language),
    limit: row.link.usageLimit ?? 0,
    code: row.checkout?.discountCode ?? '',
    cap: row.checkout?.discount?.usageCap ?? 0,
    paymentId: row.id,
  });
  const refund = commandButton(translator(language, 'refunds')('buttons.refund'), REFUND_START_ACTION, [row.id]);
  await pushOnce(deps.line, owner.userId, renderReplies([text(body, [refund])], deps.config.appSecret), retryKeyFor('links', 'capturedAfterClose', event.id));
  deps.log.info({ paymentId: row.id, linkId: row.link.id, rule }, 'captured after close: owner told');
}

export const linksEventHandlers: EventHandlers = {
  name: 'links',
  on: { 'payments.captured': tellCapturedAfterClose },
};
