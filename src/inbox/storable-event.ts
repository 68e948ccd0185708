import { storableJson, storableText } from '../db/storable-json.js';

/** A webhook event as the inbox stores it; `parkReason` set means it is kept but never processed. */
export interface StorableEvent {
  webhookEventId: string;
  userId: string | null;
  payload: unknown;
  eventTimestamp: number;
  parkReason: string | null;
}

// LINE's ids are ULIDs and 33-character user ids; anything far longer is not LINE's.
const MAX_ID_LENGTH = 200;
// LINE's events are about five levels deep.
const MAX_DEPTH = 32;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Decides how one event of a signed webhook is stored, so one odd event can never make the
 * whole delivery fail (and with it, on every redelivery, the innocent events sent alongside):
 * text PostgreSQL cannot hold is replaced, and an event whose shape we cannot process (no whole
 * millisecond timestamp, a user id that is not text, absurd nesting) is stored parked with the
 * reason. Only an event without an id is not stored at all: without it, redeliveries could not be
 * recognised. Returns null for that case.
 */
export function toStorableEvent(raw: unknown): StorableEvent | null {
  if (!isRecord(raw) || typeof raw.webhookEventId !== 'string' || raw.webhookEventId === '' || raw.webhookEventId.length > MAX_ID_LENGTH) return null;
  const webhookEventId = storableText(raw.webhookEventId);
  const problems: string[] = [];
  const cleaned = storableJson(raw, MAX_DEPTH);
  // Too deep to store: keep what identifies it, the rest cannot be processed anyway.
  const payload = cleaned.ok ? cleaned.value : { webhookEventId, type: typeof raw.type === 'string' ? storableText(raw.type) : null };
  if (!cleaned.ok) problems.push(cleaned.reason);

  const timestamp = raw.timestamp;
  const validTimestamp = typeof timestamp === 'number' && Number.isSafeInteger(timestamp) && timestamp >= 0;
  if (!validTimestamp) problems.push('timestamp is not a whole number of milliseconds');

  const source = isRecord(raw.source) ? raw.source : undefined;
  const rawUserId = source?.userId;
  let userId: string | null = null;
  if (typeof rawUserId === 'string' && rawUserId.length <= MAX_ID_LENGTH) userId = storableText(rawUserId);
  else if (rawUserId !== undefined) problems.push('source.userId is not a LINE user id');

  return {
    webhookEventId,
    userId,
    payload,
    eventTimestamp: validTimestamp ? timestamp : 0,
    parkReason: problems.length > 0 ? problems.join('; ') : null,
  };
}
