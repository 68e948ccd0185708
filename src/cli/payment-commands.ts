// Operator actions on sandbox payments (what KOMOJU's dashboard does for real ones): refund fully
// or partly, charge back. The change is reported to the ledger as a signed KOMOJU-format event
// through the same ingestion code as POST /webhooks/komoju.
import { isSandboxEnabled } from '../payments/provider-for-link.js';
import { refundPayment, type MoneyBackRefusal } from '../payments/refund-payment.js';
import { receiveKomojuWebhook } from '../payments/receive-komoju-webhook.js';
import { refundSandboxPayment, settleSandboxPayment } from '../payments/sandbox/sandbox-actions.js';
import { postSandboxEvent, sandboxEvent, signedSandboxEvent, type SandboxEvent } from '../payments/sandbox/sandbox-events.js';
import { CliError, requireDb, requireFlag } from './commands.js';
import type { AdminCommand, CliContext, CliResult } from './commands.js';

function optionalAmount(context: CliContext): number | undefined {
  const value = context.flags.get('amount');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,11}$/.test(value.trim())) {
    throw new CliError('--amount must be a positive whole number in the currency’s smallest unit (e.g. 500 for ¥500, 1250 for $12.50)', 2);
  }
  return Number(value.trim());
}

async function refund(context: CliContext, chargeback: boolean): Promise<CliResult> {
  const paymentId = requireFlag(context, 'payment');
  const amount = optionalAmount(context);
  if (!isSandboxEnabled(context.config)) {
    throw new CliError('the sandbox is not in use (KOMOJU keys are configured): refund real payments in the KOMOJU dashboard', 2);
  }
  const { prisma } = requireDb(context);
  const result = await refundSandboxPayment(prisma, paymentId, { amount, chargeback });
  if (result.kind === 'not_found') throw new CliError(`no sandbox payment "${paymentId}"`, 3);
  if (result.kind === 'refused') throw new CliError(result.reason, 2);

  const event = sandboxEvent(result.full && !chargeback ? 'payment.refunded' : 'payment.refund.created', result.payment);
  const { body, headers } = signedSandboxEvent(event, context.config.appSecret);
  const delivered = await receiveKomojuWebhook({ prisma, config: context.config, log: context.log }, Buffer.from(body), headers['X-Komoju-Signature']);
  if (delivered.status !== 200) throw new CliError(`the ledger did not accept the ${event.type} event: ${delivered.message}`);

  const json = {
    paymentId,
    refundId: result.refundId,
    amount: result.amount,
    chargeback,
    amountRefunded: result.payment.amountRefunded,
    status: result.payment.status,
    eventId: event.id,
  };
  const what = chargeback ? 'charged back' : result.full ? 'refunded in full' : 'partly refunded';
  const text = `${paymentId}: ${result.amount} ${result.payment.currency} ${what} (refunded so far ${result.payment.amountRefunded} of ${result.payment.amount}; status ${result.payment.status})`;
  return { json, text };
}

const sandboxRefundCommand: AdminCommand = {
  name: 'sandbox:refund',
  usage: 'sandbox:refund --payment ID [--amount N]',
  summary: 'refund a sandbox payment (all that is left, or N in the smallest unit)',
  run: (context) => refund(context, false),
};

const sandboxChargebackCommand: AdminCommand = {
  name: 'sandbox:chargeback',
  usage: 'sandbox:chargeback --payment ID [--amount N]',
  summary: 'charge back a sandbox payment (a refund with chargeback: true)',
  run: (context) => refund(context, true),
};

function refusalMessage(paymentId: string, refusal: MoneyBackRefusal): { message: string; exitCode: number } {
  switch (refusal.reason) {
    case 'notFound':
      return { message: `no payment "${paymentId}" (see payment:list --link SLUG)`, exitCode: 3 };
    case 'alreadyRefunded':
      return { message: `payment ${paymentId} is already refunded in full`, exitCode: 2 };
    case 'notCaptured':
      return { message: `payment ${paymentId} is ${refusal.status}; only captured payments can be refunded (an authorized one can be cancelled)`, exitCode: 2 };
    case 'notCancellable':
      return { message: `payment ${paymentId} is ${refusal.status} and cannot be cancelled`, exitCode: 2 };
    case 'needsRefundRequest':
      return {
        message: `payment ${paymentId} was paid by ${refusal.paymentMethod}: that money cannot go back automatically; file a bank refund request from the chat (Transactions → Refund) or KOMOJU's dashboard`,
        exitCode: 2,
      };
    case 'tooMuch':
      return { message: `--amount must be from 1 to ${refusal.left} (what is left of payment ${paymentId}, in ${refusal.currency}'s smallest unit)`, exitCode: 2 };
    case 'provider':
      return { message: `the payment provider refused the refund: ${refusal.message}`, exitCode: 1 };
    case 'unknown':
      return {
        message: `the payment provider's answer was lost (${refusal.message}) and reading payment ${paymentId} does not show the refund yet: it may still be made. Run the same command again (same --amount and --request-id) to read it again; it never refunds twice`,
        exitCode: 4,
      };
  }
}

/**
 * The confirmation a CLI refund stands for: `--request-id` when given, else the command itself.
 * With the payment and amount it makes the idempotency key, so running the same command again
 * (after a timeout, a crash) gives money back once; a deliberate second refund of the same amount
 * of the same payment needs a new --request-id.
 */
function cliConfirmation(context: CliContext): string {
  const value = context.flags.get('request-id');
  if (value === undefined) return 'cli';
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(value)) throw new CliError('--request-id must be 1–64 printable ASCII characters without spaces', 2);
  return `cli:${value}`;
}

/** `payment:refund`: through the payment's own provider (KOMOJU or the sandbox), never more than is left. */
const paymentRefundCommand: AdminCommand = {
  name: 'payment:refund',
  usage: 'payment:refund --payment ID [--amount N] [--request-id ID]',
  summary: 'refund a payment through its provider (all that is left, or N in the smallest unit); the same command again refunds once',
  async run(context) {
    const paymentId = requireFlag(context, 'payment');
    const amount = optionalAmount(context);
    const confirmation = cliConfirmation(context);
    const { prisma } = requireDb(context);
    const outcome = await refundPayment({ prisma, config: context.config, log: context.log }, { paymentId, confirmation, ...(amount === undefined ? {} : { amount }) });
    if (!outcome.ok) {
      const { message, exitCode } = refusalMessage(paymentId, outcome);
      throw new CliError(message, exitCode);
    }
    const { payment } = outcome;
    const json = {
      paymentId,
      amount: outcome.amount,
      currency: payment.currency,
      amountRefunded: payment.amountRefunded,
      total: payment.total,
      status: payment.status,
      full: outcome.full,
      repeated: outcome.repeated,
    };
    const what = outcome.full ? 'refunded in full' : 'partly refunded';
    const again = outcome.repeated ? ' This refund was already made by an earlier run of the same command: nothing new was refunded (pass a new --request-id to refund the same amount again).' : '';
    const text = `${paymentId}: ${outcome.amount} ${payment.currency} ${what} (refunded so far ${payment.amountRefunded} of ${payment.total}; status ${payment.status}). The ledger follows the provider's webhooks.${again}`;
    return { json, text };
  },
};

/**
 * Reports a sandbox change to the running server's /webhooks/komoju, as KOMOJU would, so the
 * merchant's LINE notice goes out; with no server answering, the ledger is updated in this process
 * (and nobody can be told on LINE).
 */
export async function reportToServer(context: CliContext, event: SandboxEvent): Promise<{ eventId: string; delivered: 'server' | 'ledger_only' }> {
  const { type } = event;
  const urlFlag = context.flags.get('url');
  const baseUrl = (typeof urlFlag === 'string' ? urlFlag : `http://127.0.0.1:${context.config.port}`).replace(/\/+$/, '');
  try {
    const status = await postSandboxEvent(`${baseUrl}/webhooks/komoju`, event, context.config.appSecret);
    if (status !== 200) throw new CliError(`the server at ${baseUrl} did not accept the ${type} event (HTTP ${status})`);
    return { eventId: event.id, delivered: 'server' };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const { prisma } = requireDb(context);
    const { body, headers } = signedSandboxEvent(event, context.config.appSecret);
    const recorded = await receiveKomojuWebhook({ prisma, config: context.config, log: context.log }, Buffer.from(body), headers['X-Komoju-Signature']);
    if (recorded.status !== 200) throw new CliError(`the ledger did not accept the ${type} event: ${recorded.message}`);
    return { eventId: event.id, delivered: 'ledger_only' };
  }
}

function settleCommand(name: 'sandbox:capture' | 'sandbox:expire', to: 'captured' | 'expired', summary: string): AdminCommand {
  return {
    name,
    usage: `${name} --payment ID [--url URL]`,
    summary,
    async run(context) {
      const paymentId = requireFlag(context, 'payment');
      if (!isSandboxEnabled(context.config)) throw new CliError('the sandbox is not in use (KOMOJU keys are configured)', 2);
      const { prisma } = requireDb(context);
      const result = await settleSandboxPayment(prisma, paymentId, to);
      if (result.kind === 'not_found') throw new CliError(`no sandbox payment "${paymentId}"`, 3);
      if (result.kind === 'refused') throw new CliError(result.reason, 2);
      const type = to === 'captured' ? 'payment.captured' : 'payment.expired';
      const report = await reportToServer(context, sandboxEvent(type, result.payment));
      const told =
        report.delivered === 'server'
          ? "the server recorded it and tells the link's creator on LINE"
          : "no server answered: recorded in the ledger; the link's creator is told on LINE when the server next runs";
      return {
        json: { paymentId, status: result.payment.status, eventId: report.eventId, delivered: report.delivered },
        text: `${paymentId}: ${result.payment.status} (${told})`,
      };
    },
  };
}

const sandboxCaptureCommand = settleCommand('sandbox:capture', 'captured', 'the buyer paid a sandbox "pay later (konbini)" payment: authorized → captured');
const sandboxExpireCommand = settleCommand('sandbox:expire', 'expired', 'a sandbox payment awaiting payment was not paid in time: → expired');

export const paymentCommands: AdminCommand[] = [paymentRefundCommand, sandboxRefundCommand, sandboxChargebackCommand, sandboxCaptureCommand, sandboxExpireCommand];
