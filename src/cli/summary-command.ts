// `summary --link SLUG`: a link's Total Sales Summary for operators, as the contract's JSON object.
import { getLinkSummary } from '../payments/summary.js';
import { CliError, requireDb, requireFlag } from './commands.js';
import type { AdminCommand } from './commands.js';

export const summaryCommand: AdminCommand = {
  name: 'summary',
  usage: 'summary --link SLUG',
  summary: "a link's Total Sales Summary",
  async run(context) {
    const slug = requireFlag(context, 'link');
    const { prisma } = requireDb(context);
    const link = await prisma.link.findUnique({ where: { slug }, select: { id: true, productName: true } });
    if (!link) throw new CliError(`no link with slug "${slug}"`, 3);
    const summary = await getLinkSummary(prisma, link.id);
    const json = {
      currency: summary.currency,
      capturedAmount: summary.capturedAmount,
      capturedPayments: summary.capturedPayments,
      pendingPayments: summary.pendingPayments,
      refundedPayments: summary.refundedPayments,
      // Only when some payment was charged in another currency: never added to capturedAmount.
      ...(Object.keys(summary.otherCurrencies).length > 0 ? { otherCurrencies: summary.otherCurrencies } : {}),
    };
    const text = [
      `${link.productName} (${slug}) as of ${summary.asOf.toISOString()}`,
      `captured amount:   ${summary.capturedAmount} ${summary.currency} (smallest unit)`,
      `captured payments: ${summary.capturedPayments}`,
      `pending payments:  ${summary.pendingPayments}`,
      `refunded payments: ${summary.refundedPayments}`,
      ...Object.entries(summary.otherCurrencies).map(([currency, amount]) => `also kept in ${currency}: ${amount} (not in the captured amount)`),
    ].join('\n');
    return { json, text };
  },
};
