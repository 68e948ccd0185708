// A download of the owner's CSV of payments (GET /exports/<token>, http/export-route.ts). No login:
// the signed token is the permission (export-token.ts). The grant names the owner who asked, and
// works only while they still may read buyers' details as an owner of the shop: a removed or
// demoted owner's link is refused as revoked (the file is built now, so it would hold buyers who
// paid after they left).
import type { Prisma } from '../db/database.js';
import { membershipOf } from '../merchants/authorization.js';
import { type ExportGrant, verifyExportToken } from './export-token.js';
import { paymentsCsv } from './payments-csv.js';

export type ExportDownload = { ok: true; grant: ExportGrant; csv: string; filename: string } | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

export async function downloadExport(prisma: Prisma, appSecret: string, token: string, now = new Date()): Promise<ExportDownload> {
  const verified = verifyExportToken(appSecret, token, now.getTime());
  if (!verified.ok) return verified;
  const { grant } = verified;
  if ((await membershipOf(prisma, grant.userId, grant.merchantId))?.role !== 'owner') return { ok: false, reason: 'revoked' };
  const csv = await paymentsCsv(prisma, grant, grant.language);
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return { ok: true, grant, csv, filename: `payments-${day}.csv` };
}
