// The Pay button: re-check that the link is open, record the checkout attempt, open a provider
// session for it and hand back the page the buyer goes to. One press, one session.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Prisma } from '../db/database.js';
import type { Link } from '../generated/prisma/client.js';
import { isLanguage } from '../i18n/i18n.js';
import { linkPageUrl, mediaUrl } from '../links/link-urls.js';
import type { Logger } from '../logger.js';
import { linkAvailability, lockLink, RESERVED_SESSION_SECONDS, type LinkAvailability } from './link-availability.js';
import { providerForLink, servesLinkMode } from './provider-for-link.js';
import { ProviderError } from './provider.js';
import { CHECKOUT_ID_METADATA_KEY, LINK_ID_METADATA_KEY } from './record-payment-event.js';

// A KOMOJU session lives at most 24 h.
const MAX_SESSION_SECONDS = 86_400;

export interface CheckoutDeps {
  prisma: Prisma;
  config: Config;
  log: Logger;
}

export type StartCheckoutResult =
  | { kind: 'redirect'; sessionUrl: string; checkoutId: string }
  | { kind: 'closed'; link: Link; availability: Exclude<LinkAvailability, 'open'> }
  /** The provider in use now is live and the link was made in test mode, or the other way round. */
  | { kind: 'mode_mismatch'; link: Link }
  | { kind: 'provider_error'; link: Link; checkoutId: string | null };

function newCheckoutId(): string {
  return `chk_${randomBytes(12).toString('hex')}`;
}

// A session must not stay payable after the link itself expires, nor after the place it holds
// under a usage limit is given back (see countCheckoutsInFlight).
function sessionLifetimeSeconds(link: Link, now: Date): number | undefined {
  const cap = link.usageLimit === null ? MAX_SESSION_SECONDS : RESERVED_SESSION_SECONDS;
  const seconds = link.expiresAt === null ? cap : Math.max(Math.ceil((link.expiresAt.getTime() - now.getTime()) / 1000), 1);
  const lifetime = Math.min(seconds, cap);
  return lifetime < MAX_SESSION_SECONDS ? lifetime : undefined;
}

export async function startCheckout(deps: CheckoutDeps, link: Link, now = new Date()): Promise<StartCheckoutResult> {
  const { prisma, config, log } = deps;
  let provider;
  try {
    ({ provider } = await providerForLink(deps, link));
  } catch (error) {
    // E.g. the merchant's stored keys no longer decrypt (APP_SECRET changed): the operator must act.
    log.error({ linkId: link.id, err: error }, 'checkout: no payment provider for this link');
    return { kind: 'provider_error', link, checkoutId: null };
  }
  if (!servesLinkMode(provider, link)) {
    log.warn(
      { linkId: link.id, linkTestMode: link.testMode, providerTestMode: provider.testMode },
      "checkout refused: the link was made in another mode (test/live) than the shop's payment account is in now; the shop must issue a new link",
    );
    return { kind: 'mode_mismatch', link };
  }

  const checkoutId = newCheckoutId();
  const availability = await prisma.$transaction(async (tx) => {
    await lockLink(tx, link.id);
    // Re-read under the lock: the merchant may have just deactivated it.
    const current = await tx.link.findUnique({ where: { id: link.id } });
    const state = current ? await linkAvailability(tx, current, now) : 'inactive';
    if (state === 'open') await tx.checkout.create({ data: { id: checkoutId, linkId: link.id, provider: provider.name } });
    return state;
  });
  if (availability !== 'open') return { kind: 'closed', link, availability };

  try {
    const session = await provider.createSession({
      amount: link.amount,
      currency: link.currency,
      locale: isLanguage(link.language) ? link.language : 'ja',
      returnUrl: `${linkPageUrl(config.publicBaseUrl, link.slug)}/return`,
      lineItem: {
        description: link.productName,
        amount: link.amount,
        quantity: 1,
        imageUrl: link.imageId ? mediaUrl(config.publicBaseUrl, link.imageId) : undefined,
      },
      metadata: { [LINK_ID_METADATA_KEY]: link.id, [CHECKOUT_ID_METADATA_KEY]: checkoutId },
      idempotencyKey: checkoutId,
      expiresInSeconds: sessionLifetimeSeconds(link, now),
    });
    await prisma.checkout.update({
      where: { id: checkoutId },
      data: { sessionId: session.id, sessionUrl: session.sessionUrl },
    });
    return { kind: 'redirect', sessionUrl: session.sessionUrl, checkoutId };
  } catch (error) {
    await prisma.checkout.update({ where: { id: checkoutId }, data: { status: 'error' } });
    const detail = error instanceof Error ? error.message : String(error);
    const fields = error instanceof ProviderError ? { code: error.code, status: error.status, retryable: error.retryable } : {};
    log.error({ linkId: link.id, checkoutId, provider: provider.name, ...fields, detail }, 'checkout: provider could not open a session');
    return { kind: 'provider_error', link, checkoutId };
  }
}
