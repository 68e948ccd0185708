// Sandbox payments reach the ledger the way KOMOJU's do: as signed KOMOJU-format events POSTed to
// our own /webhooks/komoju, so local mode exercises the real ingestion path.
import { randomBytes } from 'node:crypto';
import type { SandboxPayment } from '../../generated/prisma/client.js';
import { signKomojuBody } from '../komoju/komoju-webhook.js';
import { komojuPaymentJson, komojuSubscriptionJson } from './sandbox-payment-json.js';
import type { SandboxSubscriptionWithPayments } from './sandbox-subscriptions.js';
import { sandboxWebhookSecret } from './sandbox-webhook-secret.js';

export interface SandboxEvent {
  id: string;
  type: string;
  resource: 'event';
  data: Record<string, unknown>;
  created_at: string;
  reason: string | null;
}

function eventWith(type: string, data: Record<string, unknown>): SandboxEvent {
  return { id: `evt_sandbox_${randomBytes(12).toString('hex')}`, type, resource: 'event', data, created_at: new Date().toISOString(), reason: null };
}

export function sandboxEvent(type: string, payment: SandboxPayment): SandboxEvent {
  return eventWith(type, komojuPaymentJson(payment));
}

/** `customer.updated` when a customer-mode session saved a card (KOMOJU's Integration Guide: Customer). */
export function sandboxCustomerEvent(type: string, customerId: string): SandboxEvent {
  return eventWith(type, { id: customerId, resource: 'customer', metadata: {} });
}

/** `subscription.captured` / `subscription.failed`, with the subscription as `data`. */
export function sandboxSubscriptionEvent(type: string, current: SandboxSubscriptionWithPayments): SandboxEvent {
  return eventWith(type, komojuSubscriptionJson(current.subscription, current.payments));
}

/** The raw body and headers KOMOJU would send for this event. */
export function signedSandboxEvent(event: SandboxEvent, appSecret: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Komoju-Signature': signKomojuBody(body, sandboxWebhookSecret(appSecret)),
      'X-Komoju-ID': `dlv_${randomBytes(8).toString('hex')}`,
      'X-Komoju-Event': event.type,
    },
  };
}

/** POSTs the signed event to `webhookUrl`; resolves to the HTTP status. */
export async function postSandboxEvent(webhookUrl: string, event: SandboxEvent, appSecret: string): Promise<number> {
  const { body, headers } = signedSandboxEvent(event, appSecret);
  const response = await fetch(webhookUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}
