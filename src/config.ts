import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const origin = (what: string) => z.url(`${what} must be an absolute URL such as https://example.com`).transform((value) => value.replace(/\/+$/, ''));

const environmentSchema = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a number' }).int('PORT must be a whole number').min(0, 'PORT must be between 0 and 65535').max(65535, 'PORT must be between 0 and 65535').default(3000),
  HOST: optionalText,
  PUBLIC_BASE_URL: optionalText.pipe(origin('PUBLIC_BASE_URL').optional()),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgresql://')
      .optional(),
  ),
  DATA_DIR: optionalText.default('./data'),
  LINE_CHANNEL_SECRET: optionalText,
  LINE_CHANNEL_ACCESS_TOKEN: optionalText,
  LINE_API_BASE_URL: optionalText.pipe(origin('LINE_API_BASE_URL').optional()),
  LINE_DATA_API_BASE_URL: optionalText.pipe(origin('LINE_DATA_API_BASE_URL').optional()),
  KOMOJU_SECRET_KEY: optionalText,
  KOMOJU_WEBHOOK_SECRET: optionalText,
  KOMOJU_API_BASE_URL: optionalText.pipe(origin('KOMOJU_API_BASE_URL').optional()),
  APP_SECRET: optionalText.pipe(z.string().min(32, 'APP_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)').optional()),
  LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).optional()),
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)').optional()),
  TRUST_PROXY: optionalText,
  SANDBOX_IN_PRODUCTION: optionalText.pipe(z.enum(['0', '1'], { error: 'SANDBOX_IN_PRODUCTION must be 1 (or 0, or unset)' }).optional()),
  LINE_CHANNEL_BASIC_ID: optionalText.pipe(
    z
      .string()
      .regex(/^@?[0-9a-z._-]{3,32}$/i, "LINE_CHANNEL_BASIC_ID must be the channel's basic ID, such as @123abcde")
      .optional(),
  ),
  BUYER_DATA_RETENTION_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, 'BUYER_DATA_RETENTION_DAYS must be a whole number of days')
      .transform(Number)
      .pipe(z.number().min(1, 'BUYER_DATA_RETENTION_DAYS must be between 1 and 3650').max(3650, 'BUYER_DATA_RETENTION_DAYS must be between 1 and 3650'))
      .optional(),
  ),
  DOMAIN_EVENT_LEASE_SECONDS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,3}$/, 'DOMAIN_EVENT_LEASE_SECONDS must be a whole number of seconds')
      .transform(Number)
      .pipe(z.number().min(5, 'DOMAIN_EVENT_LEASE_SECONDS must be between 5 and 600').max(600, 'DOMAIN_EVENT_LEASE_SECONDS must be between 5 and 600'))
      .optional(),
  ),
});

/** Express `trust proxy`: false (the socket's address is the client), a hop count, or addresses/CIDRs. */
export type TrustProxy = false | number | string[];

// Express's names for address ranges, accepted in the list like addresses.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The widest range a proxy list may name: 10.0.0.0/8 (the largest private block) and a whole
 * provider's IPv6 allocation. Wider than that is not "our proxies" but most of the internet.
 */
const WIDEST_PREFIX = { 4: 8, 6: 32 } as const;
const MAX_PROXY_ENTRIES = 32;

/** An address range as [first, last] in its family's number space (IPv4-mapped IPv6 read as IPv4). */
interface Range {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  prefix: number;
}

function ipv6Number(address: string): bigint | null {
  let text = address;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = tail[1].split('.').map(Number);
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : 8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n);
}

const MAPPED_IPV4 = 0xffffn << 32n;

function rangeOf(entry: string): Range | null {
  const [address = '', prefixText, ...rest] = entry.split('/');
  const family = isIP(address);
  if ((family !== 4 && family !== 6) || rest.length > 0) return null;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const bits = family === 4 ? 32 : 128;
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  let value = family === 4 ? address.split('.').reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n) : ipv6Number(address);
  if (value === null) return null;
  let width = bits;
  // Express trusts an IPv4 client for an IPv4-mapped range (::ffff:a.b.c.d/96+): it is an IPv4 range.
  if (family === 6 && prefix >= 96 && value >> 32n === 0xffffn) {
    value -= MAPPED_IPV4;
    prefix -= 96;
    width = 32;
  }
  const hostBits = BigInt(width - prefix);
  const first = (value >> hostBits) << hostBits;
  return { family: width === 32 ? 4 : 6, first, last: first + (1n << hostBits) - 1n, prefix };
}

/** True when the ranges of one family, together, hold every address of it. */
function coversEverything(ranges: Range[], family: 4 | 6): boolean {
  const end = (1n << BigInt(family === 4 ? 32 : 128)) - 1n;
  let next = 0n;
  for (const range of ranges.filter((candidate) => candidate.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
    if (range.first > next) return false;
    if (range.last >= next) next = range.last + 1n;
    if (next > end) return true;
  }
  return false;
}

/**
 * TRUST_PROXY in Express `trust proxy` syntax, minus `true` (trusting every hop lets any client
 * name its own address): a hop count, or a comma-separated list of proxy addresses / CIDRs. For
 * the same reason a list that adds up to every address (0.0.0.0/1,128.0.0.0/1), or names a range
 * wider than WIDEST_PREFIX, is refused here, with the variable named, rather than at start in Express.
 */
function parseTrustProxy(value: string | undefined): TrustProxy | string {
  if (value === undefined) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? hops : 'TRUST_PROXY: a hop count must be between 0 and 10';
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const ranges = new Map(entries.filter((entry) => !PROXY_RANGE_NAMES.has(entry)).map((entry) => [entry, rangeOf(entry)] as const));
  const bad = [...ranges].filter(([, range]) => range === null).map(([entry]) => entry);
  if (entries.length === 0 || bad.length > 0) {
    return `TRUST_PROXY: ${bad.length > 0 ? `${bad.map((entry) => JSON.stringify(entry)).join(', ')} is not` : 'expected'} a hop count or a comma-separated list of proxy addresses / CIDRs (e.g. 1, or 10.0.0.0/8, or loopback)`;
  }
  if (entries.length > MAX_PROXY_ENTRIES) return `TRUST_PROXY: at most ${MAX_PROXY_ENTRIES} proxy addresses / ranges`;
  const known = [...ranges.values()].filter((range): range is Range => range !== null);
  const everyone = ([4, 6] as const).filter((family) => coversEverything(known, family));
  if (everyone.length > 0) {
    return `TRUST_PROXY: these ranges together trust every IPv${everyone.join(' and IPv')} address, which lets any client name its own address; list only your proxies`;
  }
  const wide = [...ranges].filter(([, range]) => range !== null && range.prefix < WIDEST_PREFIX[range.family]).map(([entry]) => entry);
  if (wide.length > 0) {
    return `TRUST_PROXY: ${wide.map((entry) => JSON.stringify(entry)).join(', ')} is wider than a proxy network (at most /${WIDEST_PREFIX[4]} for IPv4, /${WIDEST_PREFIX[6]} for IPv6); list only your proxies`;
  }
  return entries;
}

export interface Config {
  port: number;
  /** Address to listen on; undefined → every interface. */
  host: string | undefined;
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  localMode: boolean;
  line: {
    channelSecret: string;
    channelAccessToken: string;
    apiBaseUrl: string;
    dataApiBaseUrl: string;
    /** Local mode without LINE_API_BASE_URL: the server answers LINE API calls from its own stub. */
    stubbed: boolean;
  };
  komoju: { secretKey: string; webhookSecret: string; apiBaseUrl: string } | undefined;
  komojuApiBaseUrl: string;
  appSecret: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Bearer token for GET /metrics; unset: only loopback callers may read it. */
  metricsToken: string | undefined;
  /** Whose X-Forwarded-For to believe (TRUST_PROXY); false: the socket's address is the client. */
  trustProxy: TrustProxy;
  /** Days buyers' details are kept with their checkout before they are erased. */
  buyerDataRetentionDays: number;
  /** The public sandbox takes (test) payments: always in local mode, elsewhere only with SANDBOX_IN_PRODUCTION=1. */
  sandboxPayments: boolean;
  /** The bot's LINE add-friend URL (from LINE_CHANNEL_BASIC_ID): the return page's "back to LINE". */
  lineAddFriendUrl: string | undefined;
  /** How long a domain event claimed by a crashed instance waits before another takes it over. */
  domainEventLeaseMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOCAL_CHANNEL_SECRET = 'local-mode-channel-secret';
const LOCAL_ACCESS_TOKEN = 'local-mode-access-token';

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Local mode keeps one generated APP_SECRET in DATA_DIR so encrypted data survives restarts. */
function localAppSecret(dataDir: string): string {
  const file = path.join(dataDir, 'app-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/** Reads and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const values = parsed.data;

  const hasSecret = values.LINE_CHANNEL_SECRET !== undefined;
  const hasToken = values.LINE_CHANNEL_ACCESS_TOKEN !== undefined;
  if (hasSecret !== hasToken) {
    const missing = hasSecret ? 'LINE_CHANNEL_ACCESS_TOKEN' : 'LINE_CHANNEL_SECRET';
    const present = hasSecret ? 'LINE_CHANNEL_SECRET' : 'LINE_CHANNEL_ACCESS_TOKEN';
    problems.push(`${missing}: required because ${present} is set (set both, or neither for local mode)`);
  }
  const localMode = !hasSecret && !hasToken;

  const publicBaseUrl = values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`;
  if (!localMode) {
    const url = new URL(publicBaseUrl);
    if (url.protocol !== 'https:' && !isLoopback(url)) {
      problems.push('PUBLIC_BASE_URL: must be https:// outside local mode (LINE only shows images over HTTPS)');
    }
    if (values.APP_SECRET === undefined) {
      problems.push('APP_SECRET: required outside local mode (e.g. openssl rand -hex 32)');
    }
  }
  if (values.KOMOJU_SECRET_KEY !== undefined && values.KOMOJU_WEBHOOK_SECRET === undefined) {
    problems.push('KOMOJU_WEBHOOK_SECRET: required when KOMOJU_SECRET_KEY is set (webhooks cannot be verified without it)');
  }
  if (values.KOMOJU_SECRET_KEY === undefined && values.KOMOJU_WEBHOOK_SECRET !== undefined) {
    problems.push('KOMOJU_SECRET_KEY: required when KOMOJU_WEBHOOK_SECRET is set');
  }
  const trustProxy = parseTrustProxy(values.TRUST_PROXY);
  if (typeof trustProxy === 'string') problems.push(trustProxy);
  if (problems.length > 0 || typeof trustProxy === 'string') throw new ConfigError(problems);

  const dataDir = path.resolve(values.DATA_DIR);
  const komojuApiBaseUrl = values.KOMOJU_API_BASE_URL ?? 'https://komoju.com';
  return {
    port: values.PORT,
    // The simulator lets anyone chat as anyone, so local mode answers only this machine by default.
    host: values.HOST ?? (localMode ? '127.0.0.1' : undefined),
    publicBaseUrl,
    databaseUrl: values.DATABASE_URL,
    dataDir,
    localMode,
    line: {
      channelSecret: values.LINE_CHANNEL_SECRET ?? LOCAL_CHANNEL_SECRET,
      channelAccessToken: values.LINE_CHANNEL_ACCESS_TOKEN ?? LOCAL_ACCESS_TOKEN,
      apiBaseUrl: values.LINE_API_BASE_URL ?? 'https://api.line.me',
      dataApiBaseUrl: values.LINE_DATA_API_BASE_URL ?? 'https://api-data.line.me',
      stubbed: localMode && values.LINE_API_BASE_URL === undefined,
    },
    komoju:
      values.KOMOJU_SECRET_KEY !== undefined && values.KOMOJU_WEBHOOK_SECRET !== undefined
        ? { secretKey: values.KOMOJU_SECRET_KEY, webhookSecret: values.KOMOJU_WEBHOOK_SECRET, apiBaseUrl: komojuApiBaseUrl }
        : undefined,
    komojuApiBaseUrl,
    appSecret: values.APP_SECRET ?? localAppSecret(dataDir),
    logLevel: values.LOG_LEVEL ?? 'info',
    metricsToken: values.METRICS_TOKEN,
    trustProxy,
    buyerDataRetentionDays: values.BUYER_DATA_RETENTION_DAYS ?? 365,
    sandboxPayments: localMode || values.SANDBOX_IN_PRODUCTION === '1',
    lineAddFriendUrl:
      values.LINE_CHANNEL_BASIC_ID === undefined
        ? undefined
        : `https://line.me/R/ti/p/${encodeURIComponent(values.LINE_CHANNEL_BASIC_ID.startsWith('@') ? values.LINE_CHANNEL_BASIC_ID : `@${values.LINE_CHANNEL_BASIC_ID}`)}`,
    domainEventLeaseMs: (values.DOMAIN_EVENT_LEASE_SECONDS ?? 30) * 1000,
  };
}
