// The sandbox's stand-in for KOMOJU's hosted page: unmistakably TEST, with Pay / Pay later (konbini) /
// Decline / Leave; for a subscription's (customer-mode) session, Save card / Leave.
import { z } from 'zod';
import type { SandboxSession } from '../../generated/prisma/client.js';
import { html, renderPage } from '../../pages/html.js';
import { legalFooter, shopHeader, type ShopBrand } from '../../pages/buyer-page-parts.js';
import { isLanguage, translator } from '../../i18n/i18n.js';
import { isSupportedCurrency } from '../../i18n/currency.js';
import { formatPrice } from '../../i18n/format.js';
import { sandboxOffer } from './sandbox-offered.js';

const lineItemsSchema = z.array(z.object({ description: z.string().optional(), image: z.string().optional(), quantity: z.number().int().optional() }).loose());

export interface SandboxPageView {
  session: SandboxSession;
  /** The shop selling (absent for a session no link opened). */
  shop: ShopBrand | undefined;
  /** Still payable (pending and not expired). */
  open: boolean;
  /** The server takes no sandbox payments (outside local mode, no SANDBOX_IN_PRODUCTION). */
  paymentsOff: boolean;
  declined: boolean;
  actionPath: string;
  formToken: string;
  /** Where the buyer goes back to (the link's return page, with the session id). */
  returnUrl: string;
}

export function renderSandboxPage(view: SandboxPageView): string {
  const { session } = view;
  const language = isLanguage(session.locale) ? session.locale : 'ja';
  const t = translator(language, 'pages');
  const items = lineItemsSchema.safeParse(session.lineItems);
  const item = items.success ? items.data[0] : undefined;
  const price = isSupportedCurrency(session.currency) ? formatPrice(session.amount, session.currency, language) : `${session.amount} ${session.currency}`;
  // Only the ways of paying the session offers, as KOMOJU's page shows only its payment_types.
  const offer = sandboxOffer(session.paymentTypes);
  const button = (action: string, style: string, label: string) =>
    html`<button class="button ${style}" type="submit" name="action" value="${action}" data-testid="sandbox-${action}">${label}</button>`;
  const body = html`<div class="card"><div class="body stack">
<span class="test-badge">${t('link.testBadge')}</span>
${shopHeader(view.shop)}
<h1>${t('link.testBadge')} — ${t('sandbox.title')}</h1>
${item?.description ? html`<p data-testid="sandbox-item">${item.quantity && item.quantity > 1 ? `${item.description} × ${item.quantity}` : item.description}</p>` : null}
<p class="price" data-testid="sandbox-amount">${price}</p>
${view.declined ? html`<p class="notice" role="alert" data-testid="sandbox-declined">${t('sandbox.declined')}</p>` : null}
${
  view.open && session.mode === 'customer'
    ? html`<form method="post" action="${view.actionPath}" class="stack">
<input type="hidden" name="token" value="${view.formToken}">
${button('save', 'primary', t('sandbox.saveCard'))}
${button('leave', 'secondary', t('sandbox.leave'))}
</form>
<p class="notice">${t('sandbox.customerExplain')}</p>`
    : view.open
      ? html`<form method="post" action="${view.actionPath}" class="stack">
<input type="hidden" name="token" value="${view.formToken}">
${offer.pay ? button('pay', 'primary', t('sandbox.pay')) : null}
${offer.later ? button('later', 'secondary', t('sandbox.payLater')) : null}
${button('decline', 'danger', t('sandbox.decline'))}
${button('leave', 'secondary', t('sandbox.leave'))}
</form>
<p class="notice">${t('sandbox.explain')}</p>`
      : html`<p class="description" data-testid="${view.paymentsOff ? 'sandbox-off' : 'sandbox-closed'}">${t(view.paymentsOff ? 'sandbox.paymentsOff' : 'sandbox.closed')}</p>
<a class="button secondary" href="${view.returnUrl}">${t('sandbox.leave')}</a>`
}
</div></div>`;
  return renderPage({
    language,
    title: `${t('link.testBadge')} — ${t('sandbox.title')}`,
    head: html`<meta name="robots" content="noindex">`,
    banner: html`<div class="test-banner" data-testid="sandbox-banner">${t('sandbox.banner')}</div>`,
    body,
    footer: legalFooter(t, view.shop),
  });
}
