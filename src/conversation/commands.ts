import { normalizeText } from './normalize.js';

export const COMMANDS = ['help', 'join', 'quick', 'create', 'links', 'summary', 'cancel', 'back', 'language'] as const;
export type Command = (typeof COMMANDS)[number];

/** Every command's words in en / ja / ko (the README lists them). Matched case-insensitively after NFKC. */
export const COMMAND_WORDS: Record<Command, readonly string[]> = {
  help: ['help', '?', 'ヘルプ', '使い方', '도움말', '도움'],
  join: ['join', '参加', '가입'],
  quick: ['quick', 'クイック', 'かんたん', '퀵', '빠른링크'],
  create: ['create', '作成', '新規作成', '만들기', '생성'],
  links: ['links', 'リンク', 'リンク一覧', '링크', '링크목록'],
  summary: ['summary', '売上', 'サマリー', '매출', '요약'],
  cancel: ['cancel', 'キャンセル', 'やめる', '취소'],
  back: ['back', '戻る', '뒤로'],
  language: ['language', 'lang', '言語', '언어'],
};

const wordToCommand = new Map<string, Command>();
for (const command of COMMANDS) {
  for (const word of COMMAND_WORDS[command]) wordToCommand.set(word.toLowerCase(), command);
}

export interface MatchedCommand {
  command: Command;
  /** Text after the command word (e.g. the code of `join ABCD-1234`), normalised. */
  argument: string;
}

/** Recognises `word` or `word argument` at the start of a message; null for anything else. */
export function matchCommand(text: string): MatchedCommand | null {
  const normalized = normalizeText(text);
  const [first = '', ...rest] = normalized.split(/\s+/);
  const command = wordToCommand.get(first.toLowerCase());
  if (command) return { command, argument: rest.join(' ') };
  return null;
}
