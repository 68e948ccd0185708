import type { Prisma } from '../../../src/db/database.js';
import type { Language } from '../../../src/i18n/i18n.js';

/** A merchant with one member who speaks `language`: what invites would set up. */
export async function seedMember(prisma: Prisma, merchantId: string, userId: string, language: Language = 'en'): Promise<void> {
  await prisma.merchant.upsert({ where: { id: merchantId }, create: { id: merchantId, name: `Shop ${merchantId}` }, update: {} });
  await prisma.lineUser.upsert({ where: { id: userId }, create: { id: userId, language, activeMerchantId: merchantId }, update: {} });
  await prisma.member.create({ data: { merchantId, userId, role: 'owner' } });
}

type Json = Record<string, unknown>;

/** Every action of a LINE message (quick replies and Flex buttons), by label. */
export function actionsOf(message: Json): Map<string, Json> {
  const actions = new Map<string, Json>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Json;
      if (typeof record['type'] === 'string' && typeof record['label'] === 'string' && ('data' in record || 'uri' in record || 'clipboardText' in record || 'text' in record)) {
        actions.set(record['label'], record);
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(message);
  return actions;
}

/** The postback data of the button labelled `label` in any of `messages`. */
export function postbackData(messages: Json[], label: string): string {
  for (const message of messages) {
    const action = actionsOf(message).get(label);
    if (action && typeof action['data'] === 'string') return action['data'];
  }
  throw new Error(`no postback button "${label}"`);
}
