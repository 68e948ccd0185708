import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/database.js';
import { asRole, type Role } from './authorization.js';
import { findMerchant } from './find-merchant.js';
import { derivedInviteCode, formatInviteCode, hashInviteCode, randomInviteCode } from './invite-code.js';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface CreatedInvite {
  inviteId: string;
  /** As shown to people: XXXX-XXXX. Never stored; only its hash is. */
  code: string;
  role: Role;
  expiresAt: Date;
  merchantName: string;
}

export interface CreateInviteInput {
  merchantId: string;
  role?: Role;
  /** LINE user id of the owner who asked for it (null from the admin CLI). */
  createdBy?: string | null;
  now?: Date;
  /** The same key gives the same code and row, so a retried chat event issues one invite. */
  idempotencyKey?: string;
}

/** A single-use invite code for a merchant, valid for seven days. */
export async function createInvite(prisma: Prisma, appSecret: string, input: CreateInviteInput): Promise<CreatedInvite> {
  const merchant = await findMerchant(prisma, input.merchantId);
  const now = input.now ?? new Date();
  // A random code colliding with a stored one (40 bits) is drawn again; a derived code colliding
  // with its own earlier row is the retry it is meant to recognise.
  for (let attempt = 0; attempt < 3; attempt++) {
    const code = input.idempotencyKey ? derivedInviteCode(appSecret, `${merchant.id}:${input.idempotencyKey}`) : randomInviteCode();
    const codeHash = hashInviteCode(code, appSecret);
    const id = randomUUID();
    const invite = await prisma.invite.upsert({
      where: { codeHash },
      create: {
        id,
        merchantId: merchant.id,
        codeHash,
        role: input.role ?? 'staff',
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
        createdBy: input.createdBy ?? null,
      },
      update: {},
    });
    const isOurs = invite.id === id || (input.idempotencyKey !== undefined && invite.merchantId === merchant.id);
    if (isOurs) {
      return {
        inviteId: invite.id,
        code: formatInviteCode(code),
        role: asRole(invite.role),
        expiresAt: invite.expiresAt,
        // The shop as its profile names it (what the invitee will see on its pages), not the name it was created with.
        merchantName: merchant.displayName ?? merchant.name,
      };
    }
  }
  throw new Error('could not draw an unused invite code');
}
