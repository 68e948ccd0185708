import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear, so a careless
 * `log.info({ config })` still cannot print them.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: [
        '*.channelSecret',
        '*.channelAccessToken',
        '*.secretKey',
        '*.webhookSecret',
        '*.appSecret',
        '*.authorization',
        '*.replyToken',
        'secretKey',
        'webhookSecret',
        'appSecret',
        'replyToken',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
