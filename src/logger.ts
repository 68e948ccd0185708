import { pino, type Level, type Logger } from 'pino';

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

const LEVELS: ReadonlySet<string> = new Set<Level>(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

/**
 * A child logger that is made when something is first logged through it. pino's `child()` sends
 * its bindings through the redaction at once (about 10 KB of garbage each time); the inbox and the
 * bot give each event its own, and most events log nothing at the levels that are on.
 */
export function childOnFirstLog(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const made = (): Logger => (child ??= parent.child(bindings));
  return new Proxy(parent, {
    get(target, key): unknown {
      // A level that is off is pino's no-op on the parent as on the child: nothing to make.
      const off = child === undefined && typeof key === 'string' && LEVELS.has(key) && !target.isLevelEnabled(key);
      const logger = off ? target : made();
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set(_target, key, value) {
      return Reflect.set(made(), key, value);
    },
  });
}
