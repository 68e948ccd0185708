// Operators and subscriptions: list a link's subscriptions, cancel one (through its provider, as
// the owner's chat does), and — in the sandbox — make a period pass (`sandbox:renew`): the
// renewal reaches the ledger as a signed KOMOJU-format subscription event, the webhook path real
// renewals take, so the merchant's LINE notice goes out when a server answers.
import { isSandboxEnabled } from '../payments/provider-for-link.js';
import { sandboxSubscriptionEvent } from '../payments/sandbox/sandbox-events.js';
import { renewSandboxSubscription } from '../payments/sandbox/sandbox-subscriptions.js';
import { cancelSubscription } from '../payments/subscriptions/cancel-subscription.js';
import { CliError, requireDb, requireFlag } from './commands.js';
import type { AdminCommand, CliContext } from './commands.js';
import { reportToServer } from './payment-commands.js';

/** Our id (sub_…) or the provider's. */
async function findSubscription(context: CliContext, id: string) {
  const { prisma } = requireDb(context);
  const found = (await prisma.subscription.findUnique({ where: { id } })) ?? (await prisma.subscription.findUnique({ where: { providerSubscriptionId: id } }));
  if (!found) throw new CliError(`no subscription "${id}" (see subscription:list --link SLUG)`, 3);
  return found;
}

const subscriptionListCommand: AdminCommand = {
  name: 'subscription:list',
  usage: 'subscription:list --link SLUG',
  summary: "a subscription link's subscriptions, newest first (the link's id works too)",
  async run(context) {
    const ref = requireFlag(context, 'link');
    const { prisma } = requireDb(context);
    const link = (await prisma.link.findUnique({ where: { slug: ref } })) ?? (await prisma.link.findUnique({ where: { id: ref } }));
    if (!link) throw new CliError(`no link "${ref}"`, 3);
    const rows = await prisma.subscription.findMany({
      where: { linkId: link.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { payments: { where: { capturedAt: { not: null } }, select: { id: true } } },
    });
    const subscriptions = rows.map((row) => ({
      subscriptionId: row.id,
      providerSubscriptionId: row.providerSubscriptionId,
      provider: row.provider,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      interval: row.interval,
      capturedPayments: row.payments.length,
      createdAt: row.createdAt.toISOString(),
      nextPaymentAt: row.nextPaymentAt?.toISOString() ?? null,
      cancelledAt: row.cancelledAt?.toISOString() ?? null,
    }));
    const lines = subscriptions.map((row) => `${row.subscriptionId}  ${row.status}  ${row.amount} ${row.currency}/${row.interval}  ${row.capturedPayments} paid  since ${row.createdAt}`);
    const text = [
      `${link.productName} (${link.slug}): ${link.billingInterval ? `billed every ${link.billingInterval}` : 'one-time payments'}`,
      ...(lines.length > 0 ? lines : ['no subscriptions']),
    ].join('\n');
    return { json: { linkId: link.id, billingInterval: link.billingInterval, subscriptions }, text };
  },
};

const subscriptionCancelCommand: AdminCommand = {
  name: 'subscription:cancel',
  usage: 'subscription:cancel --subscription ID',
  summary: "stops a buyer's subscription at its provider (no further payments)",
  async run(context) {
    const found = await findSubscription(context, requireFlag(context, 'subscription'));
    const { prisma } = requireDb(context);
    const outcome = await cancelSubscription({ prisma, config: context.config, log: context.log }, { subscriptionId: found.id });
    if (!outcome.ok) {
      if (outcome.reason === 'provider') throw new CliError(`the payment provider did not cancel it: ${outcome.message}`);
      if (outcome.reason === 'busy') throw new CliError(`subscription ${found.id} is being created or cancelled right now; try again`, 2);
      throw new CliError(`no subscription "${found.id}"`, 3);
    }
    const { subscription } = outcome;
    return {
      json: { subscriptionId: subscription.id, status: subscription.status, cancelledAt: subscription.cancelledAt?.toISOString() ?? null, already: outcome.already },
      text: `${subscription.id}: ${outcome.already ? 'was already cancelled' : 'cancelled; no further payments'}`,
    };
  },
};

const sandboxRenewCommand: AdminCommand = {
  name: 'sandbox:renew',
  usage: 'sandbox:renew --subscription ID [--fail] [--url URL]',
  summary: "a sandbox subscription's period passed: its card is charged (captured), or declined with --fail",
  async run(context) {
    if (!isSandboxEnabled(context.config)) throw new CliError('the sandbox is not in use (KOMOJU keys are configured): KOMOJU renews real subscriptions', 2);
    const found = await findSubscription(context, requireFlag(context, 'subscription'));
    if (found.provider !== 'sandbox' || found.providerSubscriptionId === null) throw new CliError(`subscription ${found.id} is not a sandbox subscription`, 2);
    const { prisma } = requireDb(context);
    const outcome = context.flags.has('fail') ? 'failed' : 'captured';
    const result = await renewSandboxSubscription(prisma, found.providerSubscriptionId, outcome);
    if (result.kind === 'not_found') throw new CliError(`no sandbox subscription "${found.providerSubscriptionId}"`, 3);
    if (result.kind === 'refused') throw new CliError(result.reason, 2);
    const event = sandboxSubscriptionEvent(outcome === 'captured' ? 'subscription.captured' : 'subscription.failed', result.value);
    const report = await reportToServer(context, event);
    const told =
      report.delivered === 'server'
        ? "the server recorded it and tells the link's creator on LINE"
        : "no server answered: recorded in the ledger; the link's creator is told on LINE when the server next runs";
    return {
      json: { subscriptionId: found.id, paymentId: result.payment?.id ?? null, status: outcome, eventId: report.eventId, delivered: report.delivered },
      text: `${found.id}: renewal ${outcome} (${result.payment?.id ?? ''}; ${told})`,
    };
  },
};

export const subscriptionCommands: AdminCommand[] = [subscriptionListCommand, subscriptionCancelCommand, sandboxRenewCommand];
