import { loadedStateFromRow, rowOfState, StaleStateError, type ConversationRow, type LoadedState } from './state-store.js';
import type { DialogState } from '../conversation/types.js';
import type { SqlQuery } from '../db/sql.js';
import { asRole, type Role } from '../merchants/authorization.js';

/** Everything one conversation step needs to know about its user, read in one round trip. */
export interface StepContext {
  /** Null when the user has never talked to the bot (no row yet). */
  user: { language: string; activeMerchantId: string | null } | null;
  /** The user's memberships, oldest first. */
  memberships: { merchantId: string; merchantName: string; role: Role }[];
  loaded: LoadedState;
}

const LOAD_SQL = `
SELECT u."language", u."activeMerchantId",
       c."state", c."slots", c."dialogId", c."version", c."schemaVersion", c."expiresAt",
       (SELECT coalesce(json_agg(json_build_object('merchantId', m."merchantId", 'merchantName', mm."name", 'role', m."role") ORDER BY m."createdAt"), '[]'::json)
          FROM "Member" m JOIN "Merchant" mm ON mm."id" = m."merchantId"
         WHERE m."userId" = u."id") AS "memberships"
  FROM "LineUser" u LEFT JOIN "Conversation" c ON c."userId" = u."id"
 WHERE u."id" = $1`;

interface LoadRow extends Partial<ConversationRow> {
  language: string;
  activeMerchantId: string | null;
  memberships: { merchantId: string; merchantName: string; role: string }[];
}

export async function loadStepContext(db: SqlQuery, userId: string): Promise<StepContext> {
  const [row] = await db.query<LoadRow>(LOAD_SQL, [userId]);
  if (!row) return { user: null, memberships: [], loaded: loadedStateFromRow(null) };
  const conversation = row.state === undefined || row.state === null ? null : (row as ConversationRow);
  return {
    user: { language: row.language, activeMerchantId: row.activeMerchantId },
    memberships: row.memberships.map((member) => ({ ...member, role: asRole(member.role) })),
    loaded: loadedStateFromRow(conversation),
  };
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

export async function saveStep(
  db: SqlQuery,
  step: { userId: string; webhookEventId: string; loaded: LoadedState; next: DialogState | null; outbox: unknown },
): Promise<void> {
  const row = rowOfState(step.next);
  const params = [step.userId, row.state, row.dialogId, JSON.stringify(row.slots), row.schemaVersion, row.expiresAt, step.webhookEventId, JSON.stringify(step.outbox)];
  const saved =
    step.loaded.version === null ? await db.query(INSERT_SQL, params) : await db.query(UPDATE_SQL, [...params, step.loaded.version]);
  if (saved.length === 0) throw new StaleStateError(`conversation of ${step.userId} changed concurrently`);
}
