import type { Language, Translate } from '../i18n/i18n.js';
import type { MatchedCommand } from './commands.js';

/** What the user did, after the LINE edge verified and normalised it. */
export type Input =
  | { kind: 'text'; text: string }
  | { kind: 'postback'; action: string; args: string[]; dialogId: string | null }
  | { kind: 'image'; messageId: string }
  | { kind: 'follow' }
  | { kind: 'unsupported' }
  | { kind: 'result'; result: EffectResult };

/** What a dialog handler receives: typed text comes with the command it names, if any. */
export type DialogInput = Exclude<Input, { kind: 'text' }> | { kind: 'text'; text: string; command: MatchedCommand | null };

/** A button: the same commands as typing, or a URL / share / copy action. */
export type ButtonAction =
  | { type: 'command'; action: string; args?: string[]; dialogId?: string | null }
  | { type: 'text'; text: string }
  | { type: 'url'; url: string }
  | { type: 'share'; text: string }
  | { type: 'copy'; text: string };

export interface Button {
  label: string;
  action: ButtonAction;
  style?: 'primary' | 'secondary' | 'link';
}

export interface Card {
  title: string;
  subtitle?: string;
  imageUrl?: string;
  badge?: string;
  rows: { label: string; value: string }[];
  footnote?: string;
  buttons: Button[];
}

/** Replies as data; the LINE edge renders them (text, Flex, image messages). */
export type Reply =
  | { kind: 'text'; text: string; quickReplies?: Button[] }
  | { kind: 'card'; altText: string; card: Card; quickReplies?: Button[] }
  | { kind: 'carousel'; altText: string; cards: Card[]; quickReplies?: Button[] }
  | { kind: 'image'; url: string };

export interface Membership {
  merchantId: string;
  merchantName: string;
  role: 'owner' | 'staff';
  /** What a bare number in a price means: the shop's currency (merchants/shop-profile-rules.ts); absent: JPY. */
  currency?: 'JPY' | 'KRW';
  /** The payment methods the shop's account offers as last read (payments/payment-methods.ts); absent: not read yet. */
  paymentMethods?: OfferedPaymentMethod[];
}

/** A payment method as the provider lists it: its KOMOJU type and its own name in each language. */
export interface OfferedPaymentMethod {
  type: string;
  names: { en: string; ja: string; ko: string };
}

/** Persisted dialog state (one per user). `slots` must stay JSON. */
export interface DialogState {
  name: string;
  dialogId: string;
  slots: Record<string, unknown>;
  expiresAt: Date;
}

export interface Context {
  now: Date;
  language: Language;
  t: Translate;
  membership: Membership | null;
  localMode: boolean;
  /** A fresh id for a dialog started by this step (deterministic in tests). */
  newDialogId: string;
}

/**
 * The effects each capability declares, by capability: the core's own entry is here, every
 * capability adds its entry from its pure `effects.ts` (declaration merging:
 * `declare module '../conversation/types.js' { interface CapabilityEffects { … } }`), so the core
 * names no capability and the unions below still list every effect and every outcome.
 *
 * @public (knip: other files extend it through `declare module`, which knip does not follow)
 */
export interface CapabilityEffects {
  core: {
    effect: { type: 'setLanguage'; language: Language };
    result: { type: 'languageSet'; language: Language };
  };
}

/** Work the outer layer performs (bot/effects.ts); its outcome comes back as an Input of kind 'result'. */
export type Effect = CapabilityEffects[keyof CapabilityEffects]['effect'];
export type EffectResult = CapabilityEffects[keyof CapabilityEffects]['result'];
export type EffectResultOf<T extends EffectResult['type']> = Extract<EffectResult, { type: T }>;

export interface Step {
  /** null = no dialog in progress. */
  state: DialogState | null;
  replies: Reply[];
  /** At most one effect per step: its outcome is the next step's input, so effects chain in order. */
  effect?: Effect;
}
