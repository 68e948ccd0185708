import { createHmac } from 'node:crypto';

/**
 * The secret the sandbox signs its KOMOJU-format events with. Derived from APP_SECRET, so every
 * instance agrees on it without configuration and it changes when APP_SECRET does.
 */
export function sandboxWebhookSecret(appSecret: string): string {
  return createHmac('sha256', appSecret).update('sandbox-komoju-webhook-secret:v1').digest('hex');
}
