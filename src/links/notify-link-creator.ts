// The one way a domain event's handler tells a link's creator something: find the creator, check
// they are still a member of the link's shop, read their notices setting and language, and push
// once. The push's X-Line-Retry-Key is derived from the handler and the event id, so running the
// handler again (a retry, a crash before the event was marked done) never delivers it twice.
import type { DomainEvent, HandlerDeps } from '../events/domain-events.js';
import { isLanguage, type Language } from '../i18n/i18n.js';
import { pushOnce, retryKeyFor } from '../line/line-client.js';
import { mayReadBuyerDetails } from '../merchants/buyer-details-access.js';

interface Recipient {
  language: Language;
  /** The member's "payment notices" setting; news they must have anyway (a link closing) ignores it. */
  notices: boolean;
  /** Whether the shop lets this member read buyers' details (merchants/buyer-details-access.ts). */
  mayReadBuyerDetails: boolean;
}

interface CreatorNotice {
  linkId: string;
  /** The handler set's name and the handler's key (the event type): with the event id, the retry key. */
  handlers: string;
  key: string;
  /** The texts for this recipient; none sends nothing. */
  compose(recipient: Recipient): Promise<string[]>;
}

type CreatorNoticeOutcome = 'sent' | 'no_recipient' | 'nothing_to_say';

/** Throws when LINE does not take the push: the worker retries the event with the same retry key. */
export async function notifyLinkCreator(deps: HandlerDeps, event: DomainEvent, notice: CreatorNotice): Promise<CreatorNoticeOutcome> {
  const { prisma, line, log } = deps;
  const link = await prisma.link.findUnique({ where: { id: notice.linkId }, select: { merchantId: true, createdByUserId: true } });
  if (!link) return 'no_recipient';
  const member = await prisma.member.findUnique({
    where: { merchantId_userId: { merchantId: link.merchantId, userId: link.createdByUserId } },
    select: { notices: true, user: { select: { language: true } } },
  });
  if (!member) {
    log.info({ linkId: notice.linkId }, 'the link creator is no longer a member; nobody to tell');
    return 'no_recipient';
  }
  const texts = await notice.compose({
    language: isLanguage(member.user.language) ? member.user.language : 'ja',
    notices: member.notices,
    mayReadBuyerDetails: await mayReadBuyerDetails(prisma, link.merchantId, link.createdByUserId),
  });
  if (texts.length === 0) return 'nothing_to_say';
  await pushOnce(
    line,
    link.createdByUserId,
    texts.map((text) => ({ type: 'text', text })),
    retryKeyFor(notice.handlers, notice.key, event.id),
  );
  log.info({ linkId: notice.linkId, notice: notice.key }, 'link creator notified');
  return 'sent';
}
