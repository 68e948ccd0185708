import { randomBytes } from 'node:crypto';

/** 96 random bits: unguessable (the contract asks ≥ 64) yet short enough to type from a screen. */
const SLUG_BYTES = 12;

/** A fresh URL-safe slug for a link's public address (base64url: A–Z a–z 0–9 - _). */
export function newSlug(): string {
  return randomBytes(SLUG_BYTES).toString('base64url');
}

/** Slugs this module makes, and nothing a path segment could smuggle in. */
export function isSlug(value: string): boolean {
  return /^[A-Za-z0-9_-]{16}$/.test(value);
}
