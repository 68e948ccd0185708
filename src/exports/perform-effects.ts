import type { Performers } from '../effect-env.js';
import { isLanguage } from '../i18n/i18n.js';
import { membershipOf } from '../merchants/authorization.js';
import { nameKey } from '../sales/find-links-by-name.js';
import type { ExportEffect, ExportEffectResult } from './effects.js';
import { signExportToken } from './export-token.js';
import { MAX_EXPORT_ROWS } from './payments-csv.js';

export const exportPerformers: Performers<ExportEffect, ExportEffectResult> = {
  'exports.create': async (effect, env) => {
    const { prisma } = env;
    const refused = (reason: 'notFound' | 'notMember' | 'notOwner'): ExportEffectResult => ({ type: 'exports.refused', reason, name: effect.name });
    // Checked again here: the file holds buyers' emails, so only the owner gets a link to it.
    const membership = await membershipOf(prisma, env.userId, effect.merchantId);
    if (!membership) return refused('notMember');
    if (membership.role !== 'owner') return refused('notOwner');
    let link: { id: string; productName: string } | null = null;
    if (effect.linkId !== null) {
      link = await prisma.link.findFirst({ where: { id: effect.linkId, merchantId: effect.merchantId }, select: { id: true, productName: true } });
      if (!link) return refused('notFound');
    } else if (effect.name !== null) {
      link = await prisma.link.findFirst({ where: { merchantId: effect.merchantId, productNameKey: nameKey(effect.name) }, select: { id: true, productName: true } });
      if (!link) return refused('notFound');
    }
    const user = await prisma.lineUser.findUnique({ where: { id: env.userId }, select: { language: true } });
    const language = isLanguage(user?.language) ? user.language : 'ja';
    const rows = await prisma.payment.count({ where: link ? { linkId: link.id } : { link: { merchantId: effect.merchantId } } });
    const { token, expiresAt } = signExportToken(env.config.appSecret, { merchantId: effect.merchantId, linkId: link?.id ?? null, userId: env.userId, language });
    return {
      type: 'exports.ready',
      url: `${env.config.publicBaseUrl}/exports/${token}`,
      expiresAt: expiresAt.toISOString(),
      productName: link?.productName ?? null,
      rows: Math.min(rows, MAX_EXPORT_ROWS),
    };
  },
};
