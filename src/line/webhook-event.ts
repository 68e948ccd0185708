import { createHmac, randomBytes, randomInt } from 'node:crypto';

/*
 * What our own tools (the local simulator, the admin CLI) need to stand in for LINE when they
 * deliver a user's message to the webhook: ids of LINE's shapes and LINE's request signature.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARACTERS = 10;
const RANDOM_CHARACTERS = 16;

/** A ULID (time-ordered, 26 Crockford base32 characters), the shape of LINE's webhookEventId. */
export function newWebhookEventId(now: number): string {
  let time = '';
  let rest = now;
  for (let index = 0; index < TIME_CHARACTERS; index++) {
    time = CROCKFORD[rest % 32]! + time;
    rest = Math.floor(rest / 32);
  }
  const random = Array.from(randomBytes(RANDOM_CHARACTERS), (byte) => CROCKFORD[byte % 32]!).join('');
  return time + random;
}

/** LINE message ids are decimal strings. */
export function newMessageId(now: number): string {
  return `${now}${randomInt(100_000, 1_000_000)}`;
}

/**
 * Posts `events` to a webhook signed with the channel secret, exactly as LINE does, and returns
 * the HTTP status. A server that does not answer (refused, 15 s timeout) throws.
 */
export async function postSignedWebhook(url: string, channelSecret: string, destination: string, events: object[]): Promise<number> {
  const body = JSON.stringify({ destination, events });
  const signature = createHmac('sha256', channelSecret).update(body).digest('base64');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': signature },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  return response.status;
}
