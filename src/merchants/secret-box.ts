import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_SALT = 'line-komoju-payment-links/secret-box';
const KEY_INFO = 'secrets at rest v1';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

function keyFrom(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, KEY_SALT, KEY_INFO, 32));
}

/**
 * Encrypts a secret for storage: AES-256-GCM with a key derived (HKDF-SHA256) from APP_SECRET.
 * `context` (e.g. "merchant:m_1:komojuSecretKey") is authenticated too, so a ciphertext copied
 * into another merchant's row or field does not decrypt. Output: base64 "iv.tag.data".
 */
export function sealSecret(plaintext: string, appSecret: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyFrom(appSecret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64')).join('.');
}

/** Decrypts what sealSecret stored; throws SecretBoxError when APP_SECRET or the data is not what sealed it. */
export function openSecret(sealed: string, appSecret: string, context: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 3) throw new SecretBoxError(`stored secret (${context}) is not in the iv.tag.data format`);
  const [iv, tag, data] = parts.map((part) => Buffer.from(part, 'base64')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError(`stored secret (${context}) is malformed`);
  const decipher = createDecipheriv(ALGORITHM, keyFrom(appSecret), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError(
      `cannot decrypt the stored secret (${context}): APP_SECRET differs from the one it was stored with, or the stored value was altered. ` +
        'Restore the original APP_SECRET, or store the keys again (npm run admin -- komoju:set).',
    );
  }
}
