import type { Language, Translate } from '../i18n/i18n.js';
import type { LinkEffect, LinkEffectResult } from '../links/perform-effects.js';
import type { MerchantEffect, MerchantEffectResult } from '../merchants/perform-effects.js';
import type { SalesEffect, SalesEffectResult } from '../sales/perform-effects.js';

/** What the user did, after the LINE edge verified and normalised it. */
export type Input =
  | { kind: 'text'; text: string }
  | { kind: 'postback'; action: string; args: string[]; dialogId: string | null }
  | { kind: 'image'; messageId: string }
  | { kind: 'follow' }
  | { kind: 'unsupported' }
  | { kind: 'result'; result: EffectResult };

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
 * Work the outer layer performs; its outcome comes back as an Input of kind 'result'.
 * Each feature declares its own effects; their `type` starts with the feature's prefix
 * (`links.`, `merchants.`, `sales.`), which is how bot/effects.ts routes them.
 */
export type Effect = { type: 'setLanguage'; language: Language } | LinkEffect | MerchantEffect | SalesEffect;

export type EffectResult = { type: 'languageSet'; language: Language } | LinkEffectResult | MerchantEffectResult | SalesEffectResult;

export interface Step {
  /** null = no dialog in progress. */
  state: DialogState | null;
  replies: Reply[];
  effects: Effect[];
}
