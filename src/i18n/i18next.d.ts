import 'i18next';
import type bot from './locales/en/bot.json';
import type exportTexts from './locales/en/exports.json';
import type links from './locales/en/links.json';
import type merchants from './locales/en/merchants.json';
import type pages from './locales/en/pages.json';
import type pricing from './locales/en/pricing.json';
import type discounts from './locales/en/discounts.json';
import type refunds from './locales/en/refunds.json';
import type sales from './locales/en/sales.json';
import type subscriptions from './locales/en/subscriptions.json';
import type simulator from './locales/en/simulator.json';
import type shop from './locales/en/shop.json';

/** The locale files of src/i18n/locales/<language>/: English is the reference the others match (test/unit/i18n/locales.test.ts). */
export interface Resources {
  bot: typeof bot;
  exports: typeof exportTexts;
  links: typeof links;
  merchants: typeof merchants;
  pages: typeof pages;
  pricing: typeof pricing;
  discounts: typeof discounts;
  refunds: typeof refunds;
  sales: typeof sales;
  subscriptions: typeof subscriptions;
  simulator: typeof simulator;
  shop: typeof shop;
}
export type Namespace = keyof Resources;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'bot';
    resources: Resources;
  }
}
