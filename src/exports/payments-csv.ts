// A shop's or a link's payments as CSV for the owner's accountant: UTF-8 with a BOM (so Excel
// reads Japanese and Korean), RFC 4180 quoting and CRLF line ends (csv-stringify, a well-kept
// library, rather than hand-written quoting), and every text cell that a spreadsheet would run as
// a formula (= + - @, tab, CR first) neutralised with a leading apostrophe (OWASP's advice).
import type { Prisma } from '../db/database.js';
import { translator, type Language } from '../i18n/i18n.js';
import { formatMajorUnits, formatSheetDateTime } from '../i18n/format.js';
import { ledgerState, namedPaymentMethod } from '../payments/payment-status.js';
import { readStoredBuyerDetails } from '../links/buyer-fields.js';
import { isPaymentType } from '../links/payment-types.js';
import { mayReadBuyerDetails } from '../merchants/buyer-details-access.js';
import { getLinkFunnels, type LinkFunnel } from '../sales/link-funnel.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet shows as text, never evaluates. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

// The code, its discount and the tip come from the buyer's checkout (empty for payments without one).
const PAYMENT_COLUMNS = ['date', 'product', 'amount', 'currency', 'status', 'refunded', 'method', 'paymentId'] as const;
const CHECKOUT_COLUMNS = ['discountCode', 'discount', 'tip', 'orderNumber'] as const;
// How the payment's link converts ("views → Pay presses → paid", sales/link-funnel.ts), on every row
// of that link: the file stays one table of payments (one row each, as the chat's count says) that a
// spreadsheet can sort, filter and pivot by product.
const FUNNEL_COLUMNS = ['linkViews', 'linkPresses', 'linkPaid'] as const;
// What the link's page asked the buyer (links/buyer-fields.ts), for those allowed to read it.
const BUYER_COLUMNS = ['buyerName', 'phone', 'country', 'postalCode', 'address', 'question', 'answer'] as const;

/** At most this many rows per file: a month of a busy shop, and a file LINE's browser still opens. */
export const MAX_EXPORT_ROWS = 50_000;

/** The payment method in the reader's words ("コンビニ払い", not `konbini`); an unknown type as KOMOJU names it. */
function methodName(method: string | null, language: Language): string {
  const known = namedPaymentMethod(method);
  if (known) return translator(language, 'refunds')(`method.${known}`);
  if (method !== null && isPaymentType(method)) return translator(language, 'links')(`paymentTypes.names.${method}`);
  return neutraliseFormula(method ?? '');
}

/**
 * `userId` is who the file is built for: the buyers' details (email, name, phone, address, answer)
 * are in it only when they may read them (merchants/buyer-details-access.ts).
 */
export async function paymentsCsv(prisma: Prisma, scope: { merchantId: string; linkId: string | null; userId: string }, language: Language): Promise<string> {
  const t = translator(language, 'exports');
  const states = translator(language, 'sales');
  const pages = translator(language, 'pages');
  const withBuyers = await mayReadBuyerDetails(prisma, scope.merchantId, scope.userId);
  const columns = [...PAYMENT_COLUMNS, ...(withBuyers ? (['email'] as const) : []), ...CHECKOUT_COLUMNS, ...FUNNEL_COLUMNS, ...(withBuyers ? BUYER_COLUMNS : [])];
  const rows = await prisma.payment.findMany({
    where: scope.linkId === null ? { link: { merchantId: scope.merchantId } } : { linkId: scope.linkId, link: { merchantId: scope.merchantId } },
    include: {
      link: { select: { id: true, productName: true, pageViews: true } },
      refunds: { select: { amount: true, chargeback: true } },
      checkout: { select: { orderNumber: true, discountCode: true, discountAmount: true, tipAmount: true, buyerDetails: true } },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MAX_EXPORT_ROWS,
  });
  const links = new Map(rows.flatMap((row) => (row.link ? [[row.link.id, row.link] as const] : [])));
  const funnels = await getLinkFunnels(prisma, [...links.values()]);
  const records = rows.map((row) => {
    const refunded = Math.max(
      row.amountRefunded,
      row.refunds.reduce((sum, refund) => sum + refund.amount, 0),
    );
    const total = row.total ?? row.amount;
    const state = ledgerState({ status: row.status, capturedAt: row.capturedAt, amount: total, refundedAmount: refunded, chargeback: row.refunds.some((refund) => refund.chargeback) });
    // The email typed on the page first: KOMOJU's is what the buyer gave the payment page, when it gives one.
    const details = withBuyers ? readStoredBuyerDetails(row.checkout?.buyerDetails) : null;
    const address = details?.address;
    const buyer = [
      details?.name ?? '',
      details?.phone ?? '',
      address ? pages(`link.buyer.countries.${address.country}`) : '',
      address?.postalCode ?? '',
      address ? [address.line1, address.line2].filter(Boolean).join(' ') : '',
      details?.answer?.question ?? '',
      details?.answer?.text ?? '',
    ];
    return [
      formatSheetDateTime((row.capturedAt ?? row.createdAt).toISOString()),
      neutraliseFormula(row.link?.productName ?? ''),
      formatMajorUnits(total, row.currency),
      row.currency,
      states(`transactions.state.${state}`),
      formatMajorUnits(refunded, row.currency),
      methodName(row.paymentMethod, language),
      neutraliseFormula(row.id),
      ...(withBuyers ? [neutraliseFormula(details?.email ?? row.buyerEmail ?? '')] : []),
      neutraliseFormula(row.checkout?.discountCode ?? ''),
      row.checkout?.discountCode ? formatMajorUnits(row.checkout.discountAmount, row.currency) : '',
      row.checkout && row.checkout.tipAmount > 0 ? formatMajorUnits(row.checkout.tipAmount, row.currency) : '',
      row.checkout?.orderNumber ?? '',
      ...funnelCells(row.link ? funnels.get(row.link.id) : undefined),
      ...(withBuyers ? buyer.map(neutraliseFormula) : []),
    ];
  });
  // Loaded when a file is first built, not at startup: most servers rarely export.
  const { stringify } = await import('csv-stringify/sync');
  return stringify([columns.map((column) => t(`columns.${column}`)), ...records], { bom: true, record_delimiter: 'windows' });
}

function funnelCells(funnel: LinkFunnel | undefined): string[] {
  return funnel ? [String(funnel.views), String(funnel.presses), String(funnel.paid)] : ['', '', ''];
}
