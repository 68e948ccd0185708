import type { LineBotClient } from '@line/bot-sdk';
import type { Prisma } from '../db/database.js';
import { languageFromTag, isLanguage, type Language } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';

export interface BotUser {
  id: string;
  language: Language;
  activeMerchantId: string | null;
  isNew: boolean;
}

/**
 * The user row, created on first contact with a language guessed from the LINE profile
 * (Japanese when the profile has none or cannot be read).
 */
export async function ensureUser(prisma: Prisma, client: LineBotClient, userId: string, log: Logger): Promise<BotUser> {
  const existing = await prisma.lineUser.findUnique({ where: { id: userId } });
  if (existing) {
    return {
      id: existing.id,
      language: isLanguage(existing.language) ? existing.language : 'ja',
      activeMerchantId: existing.activeMerchantId,
      isNew: false,
    };
  }
  let language: Language = 'ja';
  try {
    const profile = await client.getProfile(userId);
    language = languageFromTag(profile.language);
  } catch (error) {
    log.info({ err: error }, 'profile unavailable; defaulting to Japanese');
  }
  const created = await prisma.lineUser.upsert({ where: { id: userId }, create: { id: userId, language }, update: {} });
  return { id: created.id, language: isLanguage(created.language) ? created.language : 'ja', activeMerchantId: created.activeMerchantId, isNew: true };
}
