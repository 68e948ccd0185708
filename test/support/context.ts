import type { Context } from '../../src/conversation/types.js';
import { translator, type Language } from '../../src/i18n/i18n.js';

/** The one way tests build the conversation core's Context: English, a fixed clock, no membership unless given. */
export function testContext(overrides: Partial<Omit<Context, 't'>> = {}): Context {
  const language: Language = overrides.language ?? 'en';
  return {
    now: new Date('2026-11-28T03:00:00.000Z'),
    membership: null,
    localMode: false,
    newDialogId: 'dlg-1',
    ...overrides,
    language,
    t: translator(language),
  };
}
