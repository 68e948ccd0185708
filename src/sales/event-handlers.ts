// The sales capability's reactions to domain events: the daily digest. A `sales.digestDue` event
// is one member's digest for one shop day (scheduled by `digest HH:MM`, digest-schedule.ts); it
// pushes the today card when there is something to say and records the next day's event, so the
// digest keeps itself going through the durable worker with no timer in memory.
import type { Context } from '../conversation/types.js';
import type { DomainEvent, EventHandlers, HandlerDeps } from '../events/domain-events.js';
import { isLanguage, translator } from '../i18n/i18n.js';
import { pushOnce, retryKeyFor } from '../line/line-client.js';
import { renderReplies } from '../line/render.js';
import { nextDigestDue, scheduleDigest } from './digest-schedule.js';
import { shiftShopDay, shopDayOf, shopTimeZone } from './shop-day.js';
import { getShopToday } from './shop-today.js';
import { todayCard } from './today-card.js';

async function sendDigest(event: DomainEvent<'sales.digestDue'>, deps: HandlerDeps): Promise<void> {
  const { prisma, line, config, log } = deps;
  const { merchantId, userId, day } = event.payload;
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId, userId } },
    select: { role: true, digestMinutes: true, user: { select: { language: true } }, merchant: { select: { name: true, displayName: true } } },
  });
  // Turned off, or no longer a member: nothing is sent and nothing more is scheduled.
  if (!member || member.digestMinutes === null) return;
  const now = deps.now();
  const language = isLanguage(member.user.language) ? member.user.language : 'ja';
  const zone = shopTimeZone(language);
  const today = shopDayOf(now, zone);
  // The next day's first, so a push LINE keeps refusing never stops the digest.
  await scheduleDigest(prisma, { merchantId, userId }, nextDigestDue(now, member.digestMinutes, zone, shiftShopDay(today, 1, zone)));
  // Run late (the service was down past midnight): yesterday's card would be wrong, so none.
  if (today.day !== day) {
    log.info({ eventId: event.id, day }, 'digest skipped: its day is over');
    return;
  }
  const view = await getShopToday(prisma, merchantId, now, zone);
  if (view.capturedPayments === 0 && view.refunds === 0 && view.awaitingDueSoon === 0) {
    log.debug({ eventId: event.id, day }, 'digest skipped: nothing to say');
    return;
  }
  const ctx: Context = {
    now,
    language,
    t: translator(language),
    membership: { merchantId, merchantName: member.merchant.displayName ?? member.merchant.name, role: member.role === 'owner' ? 'owner' : 'staff' },
    localMode: config.localMode,
    newDialogId: event.id,
  };
  await pushOnce(line, userId, renderReplies([todayCard(view, ctx)], config.appSecret), retryKeyFor('sales', 'digest', event.id));
}

export const salesEventHandlers: EventHandlers = {
  name: 'sales',
  on: { 'sales.digestDue': sendDigest },
};
