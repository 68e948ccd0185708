// The payment methods a shop's account takes, which a link may restrict to: read from the provider
// (KOMOJU's GET /api/v1/payment_methods, or the sandbox's documented set) and kept on the merchant
// row for a day, so every instance answers from the same list and KOMOJU is asked at most daily
// per shop. The chat shows the cached list (bot/step-store.ts); creating or editing a link checks
// against a fresh one.
import { z } from 'zod';
import type { OfferedPaymentMethod } from '../conversation/types.js';
import { providerForLink, type ProviderDeps } from './provider-for-link.js';
import { ProviderError } from './provider.js';

export const PAYMENT_METHODS_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const methodsSchema = z.array(z.object({ type: z.string(), names: z.object({ en: z.string(), ja: z.string(), ko: z.string() }) }));
// Which account the list is of: a shop that switches from the sandbox to KOMOJU, or to live, re-reads.
const cacheSchema = z.object({ provider: z.string(), testMode: z.boolean(), methods: methodsSchema });

/** The methods of a stored cache value, or null when there is none (or it is unreadable). */
export function cachedPaymentMethods(stored: unknown): OfferedPaymentMethod[] | null {
  const parsed = cacheSchema.safeParse(stored);
  return parsed.success ? parsed.data.methods : null;
}

/**
 * The shop's account's payment methods, at most a day old; null when the provider cannot be asked
 * and nothing of this account is cached (then nothing is refused for it).
 */
export async function offeredPaymentMethods(deps: ProviderDeps, merchantId: string, now: Date): Promise<OfferedPaymentMethod[] | null> {
  const { provider } = await providerForLink(deps, { merchantId });
  const row = await deps.prisma.merchant.findUnique({ where: { id: merchantId }, select: { paymentMethods: true, paymentMethodsFetchedAt: true } });
  const cached = cacheSchema.safeParse(row?.paymentMethods);
  const sameAccount = cached.success && cached.data.provider === provider.name && cached.data.testMode === provider.testMode ? cached.data.methods : null;
  const fetchedAt = row?.paymentMethodsFetchedAt?.getTime();
  if (sameAccount && fetchedAt !== undefined && now.getTime() - fetchedAt < PAYMENT_METHODS_MAX_AGE_MS) return sameAccount;
  try {
    const methods = await provider.listPaymentMethods();
    await deps.prisma.merchant.updateMany({
      where: { id: merchantId },
      data: {
        paymentMethods: { provider: provider.name, testMode: provider.testMode, methods: methods.map(({ type, names }) => ({ type, names: { en: names.en, ja: names.ja, ko: names.ko } })) },
        paymentMethodsFetchedAt: now,
      },
    });
    return methods;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    // KOMOJU unreachable: yesterday's list of the same account beats none.
    return sameAccount;
  }
}
