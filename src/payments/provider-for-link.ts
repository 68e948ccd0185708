// Which payment provider serves a link: the merchant's own KOMOJU account when they stored keys,
// else the operator's default KOMOJU account (env), else the built-in sandbox.
import type { Config } from '../config.js';
import type { Prisma } from '../db/database.js';
import { getMerchantKomojuKeys, type KomojuKeys } from '../merchants/komoju-keys.js';
import { createKomojuProvider } from './komoju/komoju-client.js';
import type { PaymentProvider } from './provider.js';
import { createSandboxProvider } from './sandbox/sandbox-provider.js';

// A buyer is waiting on every call: with the client's retries (3 attempts) this stays well inside
// the server's 30 s request timeout.
const BUYER_FACING_TIMEOUT_MS = 6_000;

export interface ProviderDeps {
  prisma: Prisma;
  config: Config;
}

export interface ProviderChoice {
  provider: PaymentProvider;
  /** Set when the merchant's own KOMOJU account is used (its webhooks are signed with its secret). */
  merchantAccountId: string | undefined;
}

/**
 * A link takes payments only in the mode it was made in (Link.testMode, fixed at creation): a test
 * link must never open a live session (its page says no real money is charged), and a live link
 * must never be "paid" in test mode. When the shop's account changed mode since, it needs a new link.
 */
export function servesLinkMode(provider: Pick<PaymentProvider, 'testMode'>, link: { testMode: boolean }): boolean {
  return provider.testMode === link.testMode;
}

/** The sandbox is in use only when the operator configured no KOMOJU account at all. */
export function isSandboxEnabled(config: Config): boolean {
  return config.komoju === undefined;
}

export function sandboxProvider(deps: ProviderDeps): PaymentProvider {
  return createSandboxProvider({ prisma: deps.prisma, publicBaseUrl: deps.config.publicBaseUrl });
}

export async function providerForLink(deps: ProviderDeps, link: { merchantId: string }): Promise<ProviderChoice> {
  return providerForKeys(deps, await getMerchantKomojuKeys(deps.prisma, deps.config.appSecret, link.merchantId), link);
}

/** providerForLink, on the merchant's keys already read and opened (null: it stored none). */
export function providerForKeys(deps: ProviderDeps, merchantKeys: KomojuKeys | null, link: { merchantId: string }): ProviderChoice {
  if (merchantKeys) {
    return {
      provider: createKomojuProvider({
        secretKey: merchantKeys.secretKey,
        apiBaseUrl: deps.config.komojuApiBaseUrl,
        timeoutMs: BUYER_FACING_TIMEOUT_MS,
      }),
      merchantAccountId: link.merchantId,
    };
  }
  if (deps.config.komoju) {
    return {
      provider: createKomojuProvider({
        secretKey: deps.config.komoju.secretKey,
        apiBaseUrl: deps.config.komoju.apiBaseUrl,
        timeoutMs: BUYER_FACING_TIMEOUT_MS,
      }),
      merchantAccountId: undefined,
    };
  }
  return { provider: sandboxProvider(deps), merchantAccountId: undefined };
}

/**
 * The provider that holds an existing checkout's session: sandbox sessions stay readable in the
 * sandbox's tables even after KOMOJU keys were configured.
 */
export async function providerForCheckout(deps: ProviderDeps, checkout: { provider: string }, link: { merchantId: string }): Promise<ProviderChoice> {
  if (checkout.provider === 'sandbox') return { provider: sandboxProvider(deps), merchantAccountId: undefined };
  return providerForLink(deps, link);
}
