import { createHmac, timingSafeEqual } from 'node:crypto';

// LINE caps postback data at 300 characters.
const MAX_DATA_LENGTH = 300;
const SIGNATURE_LENGTH = 22; // 128 bits of HMAC-SHA256, base64url

export interface PostbackPayload {
  action: string;
  args: string[];
  dialogId: string | null;
}

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, SIGNATURE_LENGTH);
}

/**
 * Postback data is signed so a client cannot forge a button (e.g. one naming another shop's
 * link); authorization is still checked on every action.
 */
export function encodePostback(payload: PostbackPayload, secret: string): string {
  const body = [payload.action, payload.dialogId ?? '', ...payload.args].map(encodeURIComponent).join('|');
  const data = `${body}|${sign(body, secret)}`;
  if (data.length > MAX_DATA_LENGTH) throw new Error(`postback data for ${payload.action} exceeds ${MAX_DATA_LENGTH} characters`);
  return data;
}

/** Returns null for anything not signed by us. */
export function decodePostback(data: string, secret: string): PostbackPayload | null {
  if (data.length > MAX_DATA_LENGTH) return null;
  const cut = data.lastIndexOf('|');
  if (cut < 0) return null;
  const body = data.slice(0, cut);
  const given = Buffer.from(data.slice(cut + 1));
  const expected = Buffer.from(sign(body, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const [action = '', dialogId = '', ...args] = body.split('|').map(decodeURIComponent);
    return { action, dialogId: dialogId === '' ? null : dialogId, args };
  } catch {
    return null;
  }
}
