import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, SecretBoxError } from '../../../src/merchants/secret-box.js';

const APP_SECRET = 'app-secret-0123456789abcdef0123456789abcdef';

describe('secret box', () => {
  it('round-trips and never stores the plaintext', () => {
    const sealed = sealSecret('sk_test_verysecret', APP_SECRET, 'merchant:m1:komojuSecretKey');
    expect(sealed).not.toContain('verysecret');
    expect(sealed.split('.')).toHaveLength(3);
    expect(openSecret(sealed, APP_SECRET, 'merchant:m1:komojuSecretKey')).toBe('sk_test_verysecret');
    // A fresh IV each time.
    expect(sealSecret('same', APP_SECRET, 'c')).not.toBe(sealSecret('same', APP_SECRET, 'c'));
  });

  it('fails loudly with the wrong APP_SECRET', () => {
    const sealed = sealSecret('sk_test_verysecret', APP_SECRET, 'ctx');
    expect(() => openSecret(sealed, 'another-app-secret-0123456789abcdef0123', 'ctx')).toThrow(SecretBoxError);
    expect(() => openSecret(sealed, 'another-app-secret-0123456789abcdef0123', 'ctx')).toThrow(/APP_SECRET differs/);
  });

  it('refuses a ciphertext moved to another merchant or field, or altered', () => {
    const sealed = sealSecret('whsec', APP_SECRET, 'merchant:m1:komojuWebhookSecret');
    expect(() => openSecret(sealed, APP_SECRET, 'merchant:m2:komojuWebhookSecret')).toThrow(SecretBoxError);
    const [iv, tag, data] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(data, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => openSecret([iv, tag, flipped.toString('base64')].join('.'), APP_SECRET, 'merchant:m1:komojuWebhookSecret')).toThrow(SecretBoxError);
    expect(() => openSecret('not-sealed', APP_SECRET, 'x')).toThrow(SecretBoxError);
  });
});
