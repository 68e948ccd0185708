import type { EffectEnv, Performers } from '../effect-env.js';
import { idForEvent } from '../links/perform-effects.js';
import { AuthorizationError, assertMemberOf } from '../merchants/authorization.js';
import { createDiscountCode } from './create-code.js';
import type { DiscountEffect, DiscountEffectResult } from './effects.js';
import { listDiscountCodes, setDiscountCodeActive } from './list-codes.js';

/** Links offered as buttons when picking the ones a code is for (a quick reply holds 13). */
const LINK_CHOICES_MAX = 11;

type Performer<T extends DiscountEffect['type']> = (effect: Extract<DiscountEffect, { type: T }>, env: EffectEnv) => Promise<DiscountEffectResult>;

/** Codes are the owner's: every effect re-checks the role in the database; a refusal is an answer. */
function ownerOnly<T extends DiscountEffect['type']>(perform: Performer<T>): Performer<T> {
  return async (effect, env) => {
    try {
      await assertMemberOf(env.prisma, env.userId, effect.merchantId, 'owner');
      return await perform(effect, env);
    } catch (error) {
      if (!(error instanceof AuthorizationError)) throw error;
      env.log.warn({ effect: effect.type, reason: error.reason }, 'discount code action refused');
      return { type: 'discounts.refused', reason: error.reason };
    }
  };
}

export const discountPerformers: Performers<DiscountEffect, DiscountEffectResult> = {
  'discounts.list': ownerOnly(async (effect, env) => ({ type: 'discounts.listed', codes: await listDiscountCodes(env.prisma, effect.merchantId) })),
  'discounts.linkChoices': ownerOnly(async (effect, env) => {
    const links = await env.prisma.link.findMany({
      where: { merchantId: effect.merchantId, status: 'active' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: LINK_CHOICES_MAX,
      select: { id: true, productName: true },
    });
    return { type: 'discounts.linksListed', links };
  }),
  'discounts.create': ownerOnly(async (effect, env) => {
    const { draft } = effect;
    const outcome = await createDiscountCode(
      env.prisma,
      {
        merchantId: effect.merchantId,
        code: draft.code,
        off: draft.off,
        expiresAt: draft.expiresAt === null ? null : new Date(draft.expiresAt),
        usageCap: draft.usageCap,
        linkIds: draft.linkIds,
        createdBy: env.userId,
      },
      { codeId: idForEvent('dc', env) },
    );
    if (outcome.kind === 'duplicate') return { type: 'discounts.refused', reason: 'duplicate' };
    if (outcome.kind === 'currency_mismatch') return { type: 'discounts.refused', reason: 'currencyMismatch' };
    if (outcome.kind === 'unknown_link') return { type: 'discounts.refused', reason: 'notFound' };
    if (outcome.kind === 'invalid') {
      env.log.warn({ reason: outcome.reason }, 'discount code refused by its rules');
      return { type: 'discounts.refused', reason: 'invalid' };
    }
    const [view] = await listDiscountCodes(env.prisma, effect.merchantId, new Date(), { id: outcome.code.id });
    if (!view) return { type: 'discounts.refused', reason: 'notFound' };
    env.log.info({ merchantId: effect.merchantId, codeId: view.id }, 'discount code created');
    return { type: 'discounts.created', code: view };
  }),
  'discounts.deactivate': ownerOnly(async (effect, env) => {
    if (!(await setDiscountCodeActive(env.prisma, effect.merchantId, effect.codeId, false))) return { type: 'discounts.refused', reason: 'notFound' };
    const [view] = await listDiscountCodes(env.prisma, effect.merchantId, new Date(), { id: effect.codeId });
    return view ? { type: 'discounts.deactivated', code: view } : { type: 'discounts.refused', reason: 'notFound' };
  }),
};
