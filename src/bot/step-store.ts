import { loadedStateFromRow, rowOfState, StaleStateError, type ConversationRow, type LoadedState } from './state-store.js';
import type { DialogState, Membership } from '../conversation/types.js';
import type { SqlQuery } from '../db/sql.js';
import { asRole } from '../merchants/authorization.js';
import { isShopCountry, shopCurrency } from '../merchants/shop-profile-rules.js';
import { cachedPaymentMethods } from '../payments/payment-methods.js';

/** Everything one conversation step needs to know about its user, read in one round trip. */
export interface StepContext {
  /** Null when the user has never talked to the bot (no row yet). */
  user: { language: string; activeMerchantId: string | null } | null;
  /** The user's memberships, oldest first. */
  memberships: Membership[];
  loaded: LoadedState;
}

/**
 * A step's context as one JSON value (null when the user has no row yet), over a user-id SQL
 * expression: the inbox reads it with each claim (WorkerOptions.context), so a claimed event
 * needs no read of its own; `loadStepContext` reads it alone when an event comes without it.
 */
export const stepContextSql = (userId: string) => `(
  SELECT json_build_object(
           'language', u."language",
           'activeMerchantId', u."activeMerchantId",
           'conversation', CASE WHEN c."userId" IS NULL THEN NULL ELSE json_build_object(
             'state', c."state", 'slots', c."slots", 'dialogId', c."dialogId", 'version', c."version",
             'schemaVersion', c."schemaVersion", 'expiresAt', c."expiresAt") END,
           'memberships', (SELECT coalesce(json_agg(json_build_object('merchantId', m."merchantId", 'merchantName', mm."name", 'role', m."role",
                                                      'country', mm."country", 'currency', mm."currency", 'paymentMethods', mm."paymentMethods") ORDER BY m."createdAt"), '[]'::json)
                             FROM "Member" m JOIN "Merchant" mm ON mm."id" = m."merchantId"
                            WHERE m."userId" = u."id"))
    FROM "LineUser" u LEFT JOIN "Conversation" c ON c."userId" = u."id"
   WHERE u."id" = ${userId})`;

const LOAD_SQL = `SELECT ${stepContextSql('$1')} AS "context"`;

interface ContextJson {
  language: string;
  activeMerchantId: string | null;
  conversation: (Omit<ConversationRow, 'expiresAt'> & { expiresAt: string }) | null;
  memberships: { merchantId: string; merchantName: string; role: string; country?: string | null; currency?: string | null; paymentMethods?: unknown }[];
}

/** The context a claim read (see stepContextSql). */
export function stepContextFromJson(value: unknown): StepContext {
  const json = value as ContextJson | null;
  if (!json) return { user: null, memberships: [], loaded: loadedStateFromRow(null) };
  const conversation = json.conversation ? { ...json.conversation, expiresAt: new Date(json.conversation.expiresAt) } : null;
  return {
    user: { language: json.language, activeMerchantId: json.activeMerchantId },
    memberships: json.memberships.map(({ merchantId, merchantName, role, country, currency, paymentMethods }) => {
      const methods = cachedPaymentMethods(paymentMethods);
      return {
        merchantId,
        merchantName,
        role: asRole(role),
        currency: shopCurrency({ country: isShopCountry(country) ? country : null, currency: currency ?? null }),
        ...(methods ? { paymentMethods: methods } : {}),
      };
    }),
    loaded: loadedStateFromRow(conversation),
  };
}

export async function loadStepContext(db: SqlQuery, userId: string): Promise<StepContext> {
  const [row] = await db.query<{ context: unknown }>(LOAD_SQL, [userId]);
  return stepContextFromJson(row?.context ?? null);
}

// The next dialog state and the replies it rendered are saved in one statement: the replies are
// then an intent on record before LINE is called, and a retry sends them instead of re-running
// the step. The version check refuses a save over someone else's (two instances, one user).
const saveSql = (conversationWrite: string) => `
WITH saved AS (${conversationWrite} RETURNING 1)
UPDATE "LineEvent" SET "outbox" = $8::jsonb, "status" = 'replying'
 WHERE "webhookEventId" = $7 AND EXISTS (SELECT 1 FROM saved)
RETURNING 1`;
const INSERT_SQL = saveSql(`
  INSERT INTO "Conversation" ("userId", "state", "dialogId", "slots", "schemaVersion", "expiresAt", "version", "updatedAt")
  VALUES ($1, $2, $3, $4::jsonb, $5, $6, 1, now())
  ON CONFLICT ("userId") DO NOTHING`);
const UPDATE_SQL = saveSql(`
  UPDATE "Conversation" SET "state" = $2, "dialogId" = $3, "slots" = $4::jsonb, "schemaVersion" = $5, "expiresAt" = $6,
                            "version" = "version" + 1, "updatedAt" = now()
   WHERE "userId" = $1 AND "version" = $9`);

export async function saveStep(db: SqlQuery, step: { userId: string; webhookEventId: string; loaded: LoadedState; next: DialogState | null; outbox: unknown }): Promise<void> {
  const row = rowOfState(step.next);
  const params = [step.userId, row.state, row.dialogId, JSON.stringify(row.slots), row.schemaVersion, row.expiresAt, step.webhookEventId, JSON.stringify(step.outbox)];
  const saved = step.loaded.version === null ? await db.query(INSERT_SQL, params) : await db.query(UPDATE_SQL, [...params, step.loaded.version]);
  if (saved.length === 0) throw new StaleStateError(`conversation of ${step.userId} changed concurrently`);
}
