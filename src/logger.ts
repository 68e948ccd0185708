import { pino, type Logger } from 'pino';

export type { Logger };

const FIRST_LINE_MAX = 200;
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/;

/**
 * What a log may say about an error: its kind, codes, HTTP status and the first line of its
 * message, and where it was thrown. Never the rest: a database or Prisma error's message and
 * detail quote the values of the statement (a user's message, a reply token), and an HTTP
 * client's error holds the response body.
 */
function safeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: typeof error === 'string' ? error.split('\n')[0]!.slice(0, FIRST_LINE_MAX) : undefined };
  const fields = error as Error & { code?: unknown; status?: unknown; statusCode?: unknown };
  const out: Record<string, unknown> = {
    type: error.name,
    // PostgreSQL puts the refused value after a colon, in quotes (invalid input syntax for type x: "…").
    message: error.message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .replace(/: ".*$/, ': "…"')
      .slice(0, FIRST_LINE_MAX),
    stack: error.stack
      ?.split('\n')
      .filter((line) => STACK_FRAME.test(line))
      .slice(0, 8)
      .join('\n'),
  };
  if (typeof fields.code === 'string' || typeof fields.code === 'number') out.code = fields.code;
  if (typeof fields.status === 'number') out.status = fields.status;
  if (typeof fields.statusCode === 'number') out.status = fields.statusCode;
  if (error.cause !== undefined && depth < 2) out.cause = safeError(error.cause, depth + 1);
  return out;
}

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear, so a careless
 * `log.info({ config })` still cannot print them.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    serializers: { err: (error: unknown) => safeError(error) },
    redact: {
      paths: ['*.channelSecret', '*.channelAccessToken', '*.secretKey', '*.webhookSecret', '*.appSecret', '*.authorization', '*.replyToken', 'secretKey', 'webhookSecret', 'appSecret', 'replyToken'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
