// `payment:reconcile [--since ISO]`: compares our payments with the providers' and repairs ours
// from their truth (the hourly job does the same): `{ checked, differences, repaired }`.
import { reconcilePayments } from '../payments/reconcile/reconcile-payments.js';
import { CliError, requireDb } from './commands.js';
import type { AdminCommand } from './commands.js';

const DEFAULT_LOOKBACK_MS = 24 * 60 * 60 * 1000;

function sinceFlag(value: string | true | undefined, now: Date): Date {
  if (value === undefined) return new Date(now.getTime() - DEFAULT_LOOKBACK_MS);
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? new Date(value.trim()) : null;
  if (!date || Number.isNaN(date.getTime())) throw new CliError('--since must be an ISO date or time, e.g. 2026-12-01T00:00:00Z', 2);
  if (date.getTime() > now.getTime()) throw new CliError('--since must not be in the future', 2);
  return date;
}

export const reconcileCommand: AdminCommand = {
  name: 'payment:reconcile',
  usage: 'payment:reconcile [--since ISO]',
  summary: "compares our payments with the provider's (created since --since, default 24 h ago, and every one awaiting payment) and repairs ours",
  async run(context) {
    const now = new Date();
    const since = sinceFlag(context.flags.get('since'), now);
    const { prisma } = requireDb(context);
    const report = await reconcilePayments({ prisma, config: context.config, log: context.log }, { since, now });
    const lines = report.differences.map((difference) => `${difference.paymentId}  ${difference.field}: ours ${String(difference.ours)}, provider ${String(difference.provider)}`);
    return {
      json: { checked: report.checked, differences: report.differences, repaired: report.repaired },
      text: [`checked ${report.checked} payment(s) since ${since.toISOString()}: ${report.differences.length} difference(s), ${report.repaired} repaired`, ...lines].join('\n'),
    };
  },
};
