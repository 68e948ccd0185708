import type { LineBotClient } from '@line/bot-sdk';
import type { SqlQuery } from '../db/sql.js';
import { languageFromTag, isLanguage, type Language } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';

export interface BotUser {
  language: Language;
  activeMerchantId: string | null;
}

/** A stored user as the bot uses it (an unknown stored language reads as Japanese). */
export function botUser(row: { language: string; activeMerchantId: string | null }): BotUser {
  return { language: isLanguage(row.language) ? row.language : 'ja', activeMerchantId: row.activeMerchantId };
}

/**
 * The user row for a LINE user talking to the bot for the first time, with a language guessed
 * from the LINE profile (Japanese when the profile has none or cannot be read). A concurrent
 * first contact keeps whichever row was stored first.
 */
export async function createUser(db: SqlQuery, client: LineBotClient, userId: string, log: Logger): Promise<BotUser> {
  let language: Language = 'ja';
  try {
    const profile = await client.getProfile(userId);
    language = languageFromTag(profile.language);
  } catch (error) {
    log.info({ err: error }, 'profile unavailable; defaulting to Japanese');
  }
  const [row] = await db.query<{ language: string; activeMerchantId: string | null }>(
    `INSERT INTO "LineUser" ("id", "language", "updatedAt") VALUES ($1, $2, now())
     ON CONFLICT ("id") DO UPDATE SET "id" = EXCLUDED."id"
     RETURNING "language", "activeMerchantId"`,
    [userId, language],
  );
  return botUser(row!);
}
