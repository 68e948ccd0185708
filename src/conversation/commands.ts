import { normalizeText } from './normalize.js';

/** The commands the core answers itself, with their words in en / ja / ko (the README lists them). */
export const CORE_COMMAND_WORDS = {
  help: ['help', '?', 'ヘルプ', '使い方', '도움말', '도움'],
  cancel: ['cancel', 'キャンセル', 'やめる', '취소'],
  back: ['back', '戻る', '뒤로'],
  language: ['language', 'lang', '言語', '언어'],
} as const satisfies Record<string, readonly string[]>;

export type CoreCommand = keyof typeof CORE_COMMAND_WORDS;

export interface MatchedCommand {
  /** A core command or one a capability registered (e.g. `quick`). */
  command: string;
  /** Text after the command word (e.g. the code of `join ABCD-1234`), normalised. */
  argument: string;
}

/** Word (lower-cased) → command, from every command's words; matched case-insensitively after NFKC. */
export type CommandTable = ReadonlyMap<string, string>;

export function commandTable(words: Record<string, readonly string[]>): CommandTable {
  const table = new Map<string, string>();
  for (const [command, list] of Object.entries(words)) {
    for (const word of list) {
      const key = word.toLowerCase();
      const taken = table.get(key);
      if (taken !== undefined && taken !== command) throw new Error(`command word "${word}" names both ${taken} and ${command}`);
      table.set(key, command);
    }
  }
  return table;
}

/** Recognises `word` or `word argument` at the start of a message; null for anything else. */
export function matchCommandIn(table: CommandTable, text: string): MatchedCommand | null {
  const normalized = normalizeText(text);
  const [first = '', ...rest] = normalized.split(/\s+/);
  const command = table.get(first.toLowerCase());
  if (command) return { command, argument: rest.join(' ') };
  return null;
}
