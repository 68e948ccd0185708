// Reconciliation: our ledger compared with the provider's payments, and repaired from the
// provider's truth through the same merge the webhooks use (recordPaymentSnapshot), so a webhook
// that never came — or one we stored but could not read — loses nothing. Each account is read:
//   - its payments created since `since` (GET /api/v1/payments by time range, every page);
//   - every payment of ours still awaiting payment (pending/authorized) by id, however old: a
//     konbini payment made days ago is paid today;
//   - every stored `payment.*` event whose payment we could not read, by the id in its data; once
//     read and merged, the event is marked resolved (its payment attached), so later runs skip it.
// Besides status, refunds, total and currency it compares the awaiting deadline and the capture
// time: the merge keeps what it already knows where the provider's read says otherwise (the
// earliest capture, a deadline it had), so those two are set to the provider's read here.
// Accounts: the operator's default KOMOJU account, each merchant's own, or the sandbox.
// It also takes over subscription claims left 'creating' (a create whose outcome stayed unknown and
// nobody came back for): ensureSubscription reads the provider first, then creates with the same key.
import type { Config } from '../../config.js';
import type { Prisma } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { createKomojuProvider } from '../komoju/komoju-client.js';
import type { PaymentProvider, PaymentSnapshot } from '../provider.js';
import { isSandboxEnabled, providerForLink, sandboxProvider } from '../provider-for-link.js';
import { recordPaymentSnapshot, type RecordedPayment } from '../record-payment-event.js';
import { CLAIM_SECONDS, ensureSubscription } from '../subscriptions/ensure-subscription.js';

export interface ReconcileDeps {
  prisma: Prisma;
  config: Config;
  log: Logger;
}

interface PaymentDifference {
  paymentId: string;
  field: 'presence' | 'status' | 'amountRefunded' | 'total' | 'currency' | 'paymentDeadline' | 'capturedAt';
  ours: string | number | null;
  provider: string | number | null;
}

export interface ReconcileReport {
  /** Provider payments compared. */
  checked: number;
  differences: PaymentDifference[];
  /** Payments whose row the merge changed. */
  repaired: number;
}

interface Account {
  provider: PaymentProvider;
  /** The merchant whose own KOMOJU account this is (undefined: the default account or the sandbox). */
  merchantId: string | undefined;
}

type LedgerRow = {
  id: string;
  status: string;
  amountRefunded: number;
  total: number | null;
  amount: number;
  tax: number;
  paymentMethodFee: number;
  currency: string;
  paymentDeadline: Date | null;
  capturedAt: Date | null;
};

const LEDGER_SELECT = {
  id: true,
  status: true,
  amountRefunded: true,
  total: true,
  amount: true,
  tax: true,
  paymentMethodFee: true,
  currency: true,
  paymentDeadline: true,
  capturedAt: true,
} as const;
const AWAITING = ['pending', 'authorized'];

async function accounts(deps: ReconcileDeps): Promise<Account[]> {
  const found: Account[] = [];
  if (deps.config.komoju) {
    found.push({ provider: createKomojuProvider({ secretKey: deps.config.komoju.secretKey, apiBaseUrl: deps.config.komoju.apiBaseUrl }), merchantId: undefined });
  } else if (isSandboxEnabled(deps.config)) {
    found.push({ provider: sandboxProvider(deps), merchantId: undefined });
  }
  const ownKeys = await deps.prisma.merchant.findMany({ where: { komojuSecretKeyEnc: { not: null } }, select: { id: true } });
  for (const merchant of ownKeys) {
    found.push({ provider: (await providerForLink(deps, { merchantId: merchant.id })).provider, merchantId: merchant.id });
  }
  return found;
}

/** What differs between our row and the provider's payment, field by field. */
function differencesOf(row: LedgerRow | null, snapshot: PaymentSnapshot): PaymentDifference[] {
  if (!row) return [{ paymentId: snapshot.id, field: 'presence', ours: null, provider: snapshot.status }];
  const ourTotal = row.total ?? row.amount + row.tax + row.paymentMethodFee;
  const pairs: [PaymentDifference['field'], string | number | null, string | number | null][] = [
    ['status', row.status, snapshot.status],
    ['amountRefunded', row.amountRefunded, snapshot.amountRefunded],
    ['total', ourTotal, snapshot.total],
    ['currency', row.currency, snapshot.currency],
    ['paymentDeadline', iso(row.paymentDeadline), iso(snapshot.paymentDeadline)],
  ];
  // A captured payment the provider sent without its capture time keeps ours (first sight).
  if (snapshot.capturedAt !== null) pairs.push(['capturedAt', iso(row.capturedAt), iso(snapshot.capturedAt)]);
  return pairs.filter(([, ours, theirs]) => ours !== theirs).map(([field, ours, provider]) => ({ paymentId: snapshot.id, field, ours, provider }));
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/**
 * The provider's read of the deadline and capture time, where the merge kept ours: a deadline it
 * no longer has or moved, a capture time ours put earlier. Only a payment of the account's own.
 */
async function setTimesFromProvider(prisma: Prisma, snapshot: PaymentSnapshot, merged: RecordedPayment): Promise<void> {
  if (merged.foreignPayment) return;
  await prisma.payment.update({
    where: { id: snapshot.id },
    data: { paymentDeadline: snapshot.paymentDeadline, ...(snapshot.capturedAt === null ? {} : { capturedAt: snapshot.capturedAt }) },
  });
}

/** The payment id a stored `payment.*` event names in its data (its shape could not be read). */
function paymentIdInPayload(payload: unknown): string | null {
  const data = typeof payload === 'object' && payload !== null ? (payload as { data?: unknown }).data : undefined;
  const id = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : null;
}

export async function reconcilePayments(deps: ReconcileDeps, options: { since: Date; now: Date }): Promise<ReconcileReport> {
  const { prisma, log } = deps;
  const report: ReconcileReport = { checked: 0, differences: [], repaired: 0 };
  const seen = new Set<string>();
  // Read and merged (or found equal) in this run.
  const compared = new Set<string>();

  async function compare(account: Account, snapshot: PaymentSnapshot): Promise<void> {
    if (seen.has(snapshot.id)) return;
    seen.add(snapshot.id);
    report.checked += 1;
    const before = await prisma.payment.findUnique({ where: { id: snapshot.id }, select: LEDGER_SELECT });
    const differences = differencesOf(before, snapshot);
    if (differences.length > 0) {
      report.differences.push(...differences);
      const merged = await recordPaymentSnapshot(prisma, snapshot, { provider: account.provider.name, ...(account.merchantId === undefined ? {} : { merchantId: account.merchantId }) });
      const remaining = differencesOf(await prisma.payment.findUnique({ where: { id: snapshot.id }, select: LEDGER_SELECT }), snapshot);
      if (remaining.some((difference) => difference.field === 'paymentDeadline' || difference.field === 'capturedAt')) await setTimesFromProvider(prisma, snapshot, merged);
      const after = await prisma.payment.findUnique({ where: { id: snapshot.id }, select: LEDGER_SELECT });
      if (JSON.stringify(after) !== JSON.stringify(before)) report.repaired += 1;
    }
    compared.add(snapshot.id);
  }

  async function readById(account: Account, id: string): Promise<void> {
    if (seen.has(id)) return;
    try {
      await compare(account, await account.provider.getPayment(id));
    } catch (error) {
      log.warn({ paymentId: id, err: error }, 'reconcile: could not read a payment from its provider');
    }
  }

  for (const account of await accounts(deps)) {
    for (const snapshot of await account.provider.listPayments({ since: options.since, until: options.now })) {
      await compare(account, snapshot);
    }
    // Ours still awaiting payment in this account, however old.
    const awaiting = await prisma.payment.findMany({
      where: {
        status: { in: AWAITING },
        provider: account.provider.name,
        ...(account.merchantId === undefined ? { OR: [{ linkId: null }, { link: { merchant: { komojuSecretKeyEnc: null } } }] } : { link: { merchantId: account.merchantId } }),
      },
      select: { id: true },
    });
    for (const row of awaiting) await readById(account, row.id);
    // Stored payment events we could not read (no payment attached).
    // Once its payment is read and merged, the event names it: resolved, not read again.
    const unread = await prisma.providerEvent.findMany({
      where: { type: { startsWith: 'payment.' }, paymentId: null, merchantId: account.merchantId ?? null },
      select: { id: true, payload: true },
    });
    for (const event of unread) {
      const id = paymentIdInPayload(event.payload);
      if (id === null) continue;
      await readById(account, id);
      if (compared.has(id)) await prisma.providerEvent.updateMany({ where: { id: event.id, paymentId: null }, data: { paymentId: id } });
    }
  }
  const stale = await prisma.subscription.findMany({
    where: { status: 'creating', updatedAt: { lt: new Date(options.now.getTime() - CLAIM_SECONDS * 1000) } },
    select: { checkoutId: true },
  });
  for (const claim of stale) {
    const outcome = await ensureSubscription(deps, claim.checkoutId, { sessionCompleted: true });
    log.info({ checkoutId: claim.checkoutId, outcome: outcome.kind }, 'reconcile: took over a subscription claim');
  }
  log.info({ checked: report.checked, differences: report.differences.length, repaired: report.repaired }, 'reconcile: payments compared with the provider');
  return report;
}
