// `payment:list --link SLUG`: a link's payments, newest first, with the ids `sandbox:refund` and
// KOMOJU's dashboard take.
import { listTransactions } from '../payments/list-transactions.js';
import { CliError, requireDb, requireFlag } from './commands.js';
import type { AdminCommand } from './commands.js';

function pageFlag(value: string | true | undefined): number {
  if (value === undefined) return 1;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,5}$/.test(value.trim())) throw new CliError('--page must be a whole number from 1', 2);
  return Number(value.trim());
}

export const paymentListCommand: AdminCommand = {
  name: 'payment:list',
  usage: 'payment:list --link SLUG [--page N]',
  summary: "a link's payments, newest first (50 a page), with their ids",
  async run(context) {
    const slug = requireFlag(context, 'link');
    const page = pageFlag(context.flags.get('page'));
    const { prisma } = requireDb(context);
    const link = await prisma.link.findUnique({ where: { slug }, select: { id: true, productName: true, currency: true } });
    if (!link) throw new CliError(`no link with slug "${slug}"`, 3);
    const listed = await listTransactions(prisma, link.id, { page, pageSize: 50 });
    const payments = listed.items.map((item) => ({
      paymentId: item.paymentId,
      status: item.status,
      state: item.state,
      amount: item.amount,
      refundedAmount: item.refundedAmount,
      chargeback: item.chargeback,
      createdAt: item.createdAt.toISOString(),
      capturedAt: item.capturedAt?.toISOString() ?? null,
    }));
    const lines = payments.map(
      (payment) =>
        `${payment.paymentId}  ${payment.createdAt}  ${payment.state}  ${payment.amount} ${link.currency}` +
        (payment.refundedAmount > 0 ? `  refunded ${payment.refundedAmount}${payment.chargeback ? ' (chargeback)' : ''}` : ''),
    );
    const more = listed.hasMore ? [`more: payment:list --link ${slug} --page ${page + 1}`] : [];
    return {
      json: { link: slug, currency: link.currency, page, total: listed.total, hasMore: listed.hasMore, payments },
      text:
        payments.length === 0
          ? `${link.productName} (${slug}): no payments yet`
          : [`${link.productName} (${slug}): ${listed.total} payment(s), amounts in the smallest unit`, ...lines, ...more].join('\n'),
    };
  },
};
