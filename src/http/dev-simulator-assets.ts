// The local-mode LINE simulator's files (src/http/dev-simulator/): the HTML page, its style sheet
// and favicon as they are, the TypeScript browser script compiled by esbuild on first request,
// and what the page needs from the server (its texts, the channel's rich menu). esbuild and the
// rich menu's renderer (a native module) are loaded only when the simulator first asks, so no
// server pays for them at startup, and none outside local mode ever loads them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, translator, type Language } from '../i18n/i18n.js';
import { RICH_MENU_BUTTONS, richMenuDefinition } from '../line/rich-menu/rich-menu-layout.js';
import type { SimulatorLabels, SimulatorSetup } from './dev-simulator/setup.js';

const ASSETS = fileURLToPath(new URL('./dev-simulator/', import.meta.url));

export const STATIC_ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'simulator.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;
export type StaticAsset = keyof typeof STATIC_ASSETS;

/** Reads each asset once per process (they are part of the installed app, not user data). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = null;
      throw error;
    });
    return loaded;
  };
}

const staticFiles = new Map<StaticAsset, () => Promise<Buffer>>((Object.keys(STATIC_ASSETS) as StaticAsset[]).map((name) => [name, once(() => readFile(`${ASSETS}${name}`))]));

export function staticAsset(name: StaticAsset): Promise<Buffer> {
  return staticFiles.get(name)!();
}

/** The browser script (browser/main.ts and its imports) as one classic script for the page. */
export const simulatorScript = once(async () => {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [`${ASSETS}browser/main.ts`],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no simulator script');
  return output.text;
});

/** The rich menu image, drawn by the same code as `richmenu:setup` (resvg, bundled fonts). */
export const richMenuPng = once(async () => {
  const { renderRichMenuImage } = await import('../line/rich-menu/rich-menu-image.js');
  return renderRichMenuImage();
});

/** The simulator's texts, as written in the locale files: the page fills the {{placeholders}} itself. */
const simulatorLabels = once(async () => {
  const entries = await Promise.all(
    LANGUAGES.map(async (language) => {
      const file = fileURLToPath(new URL(`../i18n/locales/${language}/simulator.json`, import.meta.url));
      return [language, JSON.parse(await readFile(file, 'utf8')) as SimulatorLabels] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Language, SimulatorLabels>;
});

/** What GET /dev/api/setup answers; the shop owner is read per request. */
export async function simulatorSetup(shopOwner: SimulatorSetup['shopOwner']): Promise<SimulatorSetup> {
  const menu = richMenuDefinition();
  return {
    languages: LANGUAGES.map((code) => ({ code, name: translator(code)(`languages.${code}`) })),
    labels: await simulatorLabels(),
    richMenu: {
      imageUrl: '/dev/rich-menu.png',
      width: menu.size.width,
      height: menu.size.height,
      chatBarText: menu.chatBarText,
      areas: menu.areas.map((area, index) => ({ bounds: area.bounds, text: area.action.text, labels: RICH_MENU_BUTTONS[index]!.labels })),
    },
    shopOwner,
  };
}
