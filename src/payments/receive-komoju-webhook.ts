// One KOMOJU-format webhook delivery: authenticate the raw body, parse it, record it once. Shared
// by POST /webhooks/komoju (KOMOJU and the sandbox post there) and nothing else, so every payment
// reaches the ledger through the same checks.
import type { Config } from '../config.js';
import type { Prisma } from '../db/database.js';
import { storableJson } from '../db/storable-json.js';
import { Prisma as PrismaNamespace } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { getMerchantKomojuKeys } from '../merchants/komoju-keys.js';
import { parseKomojuEvent, verifyKomojuSignature } from './komoju/komoju-webhook.js';
import { isSandboxEnabled } from './provider-for-link.js';
import { ProviderError, type ProviderEvent } from './provider.js';
import { CHECKOUT_ID_METADATA_KEY, LINK_ID_METADATA_KEY, recordProviderEvent } from './record-payment-event.js';
import { sandboxWebhookSecret } from './sandbox/sandbox-webhook-secret.js';
import { receiveSubscriptionEvent } from './subscriptions/receive-subscription-event.js';

export interface WebhookDeps {
  prisma: Prisma;
  config: Config;
  log: Logger;
}

interface WebhookSource {
  provider: 'komoju' | 'sandbox';
  /** Set when the body was signed with a merchant's own webhook secret. */
  merchantId: string | undefined;
}

export interface WebhookOutcome {
  status: number;
  message: string;
}

function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The merchant whose link the (not yet trusted) body points at, the only merchant whose secret is
 * tried: by the session id or our metadata in the payment.
 */
async function merchantHint(prisma: Prisma, body: unknown): Promise<string | null> {
  const data = record(record(body).data);
  const metadata = record(data.metadata);
  const sessionId = typeof data.session === 'string' ? data.session : undefined;
  const checkoutId = metadata[CHECKOUT_ID_METADATA_KEY];
  const linkId = metadata[LINK_ID_METADATA_KEY];
  const checkout =
    (sessionId ? await prisma.checkout.findUnique({ where: { sessionId }, select: { link: { select: { merchantId: true } } } }) : null) ??
    (typeof checkoutId === 'string' ? await prisma.checkout.findUnique({ where: { id: checkoutId }, select: { link: { select: { merchantId: true } } } }) : null);
  if (checkout) return checkout.link.merchantId;
  // A subscription's payment or a customer.* event: the customer our checkout saved the card to.
  const eventType = record(body).type;
  const customerEvent = typeof eventType === 'string' && eventType.startsWith('customer.');
  const customerId = typeof data.customer === 'string' ? data.customer : customerEvent && typeof data.id === 'string' ? data.id : undefined;
  if (customerId !== undefined) {
    const saved = await prisma.checkout.findUnique({ where: { customerId }, select: { link: { select: { merchantId: true } } } });
    if (saved) return saved.link.merchantId;
  }
  if (typeof linkId === 'string') {
    const link = await prisma.link.findUnique({ where: { id: linkId }, select: { merchantId: true } });
    if (link) return link.merchantId;
  }
  return null;
}

async function verifyWithMerchantKeys(deps: WebhookDeps, rawBody: Buffer, signature: string, merchantId: string): Promise<WebhookSource | null> {
  try {
    const keys = await getMerchantKomojuKeys(deps.prisma, deps.config.appSecret, merchantId);
    return keys !== null && verifyKomojuSignature(rawBody, signature, keys.webhookSecret) ? { provider: 'komoju', merchantId } : null;
  } catch (error) {
    deps.log.error({ merchantId, err: error }, "komoju webhook: a merchant's stored KOMOJU keys cannot be decrypted");
    return null;
  }
}

/**
 * Which account signed the body. At /webhooks/komoju/merchants/:id only that merchant's own
 * account. At /webhooks/komoju: the operator's KOMOJU account, the sandbox, or the own account of
 * the merchant whose link the body names — never every merchant's, since a forged but well-formed
 * signature must not make us load and decrypt everyone's secrets (so there a merchant account's
 * events that name none of its links, such as its ping, are refused: use the merchant's URL).
 */
async function authenticateKomojuWebhook(deps: WebhookDeps, rawBody: Buffer, signature: string | undefined, body: unknown, merchantIdFromUrl?: string): Promise<WebhookSource | null> {
  const { prisma, config } = deps;
  // Nothing can verify without a well-formed signature: spare the database the lookups below.
  const wellFormed = typeof signature === 'string' && /^[0-9a-f]{64}$/.test(signature);
  if (merchantIdFromUrl !== undefined) {
    return wellFormed ? verifyWithMerchantKeys(deps, rawBody, signature, merchantIdFromUrl) : null;
  }
  if (config.komoju && verifyKomojuSignature(rawBody, signature, config.komoju.webhookSecret)) {
    return { provider: 'komoju', merchantId: undefined };
  }
  if (isSandboxEnabled(config) && verifyKomojuSignature(rawBody, signature, sandboxWebhookSecret(config.appSecret))) {
    return { provider: 'sandbox', merchantId: undefined };
  }
  if (!wellFormed) return null;
  const merchantId = await merchantHint(prisma, body);
  return merchantId === null ? null : verifyWithMerchantKeys(deps, rawBody, signature, merchantId);
}

/*
 * Prisma's codes for a value the database refuses (too long, out of range, wrong type): the
 * same delivery fails the same way every time, unlike a lost connection or a conflict.
 */
const DATA_ERROR_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2019', 'P2020', 'P2023', 'P2033']);

function isDataError(error: unknown): boolean {
  return error instanceof PrismaNamespace.PrismaClientValidationError || (error instanceof PrismaNamespace.PrismaClientKnownRequestError && DATA_ERROR_CODES.has(error.code));
}

export async function receiveKomojuWebhook(deps: WebhookDeps, rawBody: Buffer, signature: string | undefined, merchantIdFromUrl?: string): Promise<WebhookOutcome> {
  const { prisma, log } = deps;
  const parsed = parseJson(rawBody);
  // Text PostgreSQL cannot hold (a NUL, a lone surrogate) is replaced before anything is stored,
  // so one odd metadata field cannot fail every redelivery of a signed payment event.
  const storable = storableJson(parsed);
  const body = storable.ok ? storable.value : undefined;
  const source = await authenticateKomojuWebhook(deps, rawBody, signature, body, merchantIdFromUrl);
  if (!source) {
    log.warn({ bytes: rawBody.length }, 'komoju webhook: signature did not verify; ignored');
    return { status: 401, message: 'invalid signature' };
  }

  let event: ProviderEvent;
  try {
    event = parseKomojuEvent(body);
  } catch (error) {
    const detail = error instanceof ProviderError ? error.message : 'unreadable body';
    log.error({ provider: source.provider, merchantId: source.merchantId, detail }, 'komoju webhook: signed body is not a usable event');
    return { status: 400, message: 'not a KOMOJU event' };
  }
  if (event.type === 'ping') {
    log.info({ eventId: event.id, merchantId: source.merchantId }, 'komoju webhook: ping');
    return { status: 200, message: 'pong' };
  }
  if (event.subscriptionId !== undefined || event.customerId !== undefined) {
    return receiveSubscriptionEvent(deps, event, { merchantId: source.merchantId }, body);
  }

  const fields = { eventId: event.id, type: event.type, provider: source.provider, merchantId: source.merchantId, paymentId: event.payment?.id };
  let recorded;
  try {
    recorded = await recordProviderEvent(prisma, event, { provider: source.provider, merchantId: source.merchantId, payload: body });
  } catch (error) {
    if (!isDataError(error)) throw error;
    // Retrying cannot help: keep the event for the operator (and its id, so a redelivery is a
    // duplicate) and answer 200 rather than 5xx forever.
    await prisma.providerEvent.createMany({
      data: [{ id: event.id, type: event.type, paymentId: null, merchantId: source.merchantId ?? null, payload: body as object }],
      skipDuplicates: true,
    });
    log.error({ ...fields, err: error }, 'komoju webhook: signed event stored but its payment could not be applied (a value the database refuses)');
    return { status: 200, message: 'stored, not applied' };
  }
  if (recorded.duplicate) {
    log.debug(fields, 'komoju webhook: duplicate event ignored');
    return { status: 200, message: 'duplicate' };
  }
  const payment = recorded.payment;
  if (event.paymentProblem !== undefined) {
    log.error({ ...fields, problem: event.paymentProblem }, 'komoju webhook: payment event stored, but its data is not a payment we can read; not applied');
    return { status: 200, message: 'stored, not applied' };
  }
  if (!payment) {
    log.info(fields, 'komoju webhook: event without a payment stored');
    return { status: 200, message: 'stored' };
  }
  if (payment.foreignPayment) {
    log.warn(fields, "komoju webhook: a merchant's account sent an event for another merchant's payment; not applied");
    return { status: 200, message: 'not applied' };
  }
  if (payment.unknownLink) {
    log.warn(fields, 'komoju webhook: payment for no known link stored without a link');
    return { status: 200, message: 'stored' };
  }
  log.info({ ...fields, linkId: payment.linkId, becameCaptured: payment.becameCaptured }, 'komoju webhook: payment recorded');
  return { status: 200, message: 'recorded' };
}
