import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type Resource, type ResourceLanguage, type TFunction } from 'i18next';
import type { Namespace } from './i18next.js';
import { addParticleFormatters } from './korean-particles.js';

export const LANGUAGES = ['ja', 'en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];
/** A translator whose keys tsc checks: unprefixed keys are in `N`, others name their namespace (`sales:…`). */
export type Translate<N extends Namespace = 'bot'> = TFunction<[N, ...Exclude<Namespace, N>[]]>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Maps a BCP 47 tag (LINE profile `language`, Accept-Language) to ours; Japanese otherwise. */
export function languageFromTag(tag: string | undefined | null): Language {
  const primary = tag?.toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : 'ja';
}

const localesDir = fileURLToPath(new URL('./locales/', import.meta.url));

function loadResources(): Resource {
  const resources: Record<string, ResourceLanguage> = {};
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of readdirSync(`${localesDir}/${language}`)) {
      if (!file.endsWith('.json')) continue;
      resources[language][file.replace(/\.json$/, '')] = JSON.parse(readFileSync(`${localesDir}/${language}/${file}`, 'utf8')) as ResourceLanguage[string];
    }
  }
  return resources;
}

const instance = i18next.createInstance();
await instance.init({
  resources: loadResources(),
  lng: 'ja',
  fallbackLng: 'ja',
  supportedLngs: [...LANGUAGES],
  defaultNS: 'bot',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
addParticleFormatters(instance.services.formatter!);

/**
 * A translator fixed to one language. Events of different users are rendered concurrently,
 * so nothing ever calls changeLanguage on the shared instance.
 */
export function translator(language: Language): Translate;
export function translator<N extends Namespace>(language: Language, namespace: N): Translate<N>;
export function translator(language: Language, namespace: Namespace = 'bot'): Translate<Namespace> {
  return instance.getFixedT(language, namespace);
}
