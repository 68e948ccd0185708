import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';
import { applyMigrations, readMigrations } from './migrate.js';
import type { PgliteThread } from './pglite-thread.js';
import type { SqlQuery, SqlSession } from './sql.js';

export type Prisma = PrismaClient;

export interface Database extends SqlQuery {
  readonly kind: 'pglite' | 'postgresql';
  readonly prisma: PrismaClient;
  /** Applies pending migrations; returns the names it applied. */
  migrate(): Promise<string[]>;
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  /** PostgreSQL pool size per instance. */
  poolSize?: number;
  /**
   * PostgreSQL: the longest a statement may run (server-side statement_timeout); a connection that
   * stays silent a second longer while in use is taken for dead and destroyed, so a network that
   * drops packets without closing sockets cannot hang a query (and the worker) for good.
   */
  statementTimeoutMs?: number;
}

// Closing waits for in-flight queries; a database behind a dead network would make it wait forever.
const CLOSE_TIMEOUT_MS = 1_000;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.statementTimeoutMs ?? 4_000) : openPglite(options);
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

const statementNames = new Map<string, string>();

/**
 * The hot path's statements are few and fixed; named, each pooled connection parses and plans
 * one once instead of on every event (the server shares these two cores with us).
 */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `hot_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

async function openPostgres(databaseUrl: string, poolSize: number, statementTimeoutMs: number): Promise<Database> {
  const silentAfterMs = statementTimeoutMs + 1_000;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: Math.max(1_000, statementTimeoutMs - 1_000),
    statement_timeout: statementTimeoutMs,
    keepAlive: true,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    // No byte from the server for longer than any statement may run: the connection is dead (a
    // silent partition). Destroying it fails the waiting query and the pool drops the client.
    const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    socket.setTimeout(silentAfterMs, () => socket.destroy(new Error(`database connection silent for ${silentAfterMs} ms`)));
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgresql',
    prisma,
    async query<Row>(text: string, params?: unknown[]) {
      return (await pool.query({ name: statementName(text), text, values: params })).rows as Row[];
    },
    async migrate() {
      // Its own connection, free of the pool's statement timeout: a migration may run long.
      const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        const session: SqlSession = {
          query: async <Row>(text: string, params?: unknown[]) => (await client.query<Row & pg.QueryResultRow>(text, params)).rows,
          exec: async (script) => {
            await client.query(script);
          },
        };
        return await applyMigrations(session, await readMigrations());
      } finally {
        await client.end();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await withTimeout(prisma.$disconnect(), CLOSE_TIMEOUT_MS);
      await withTimeout(pool.end(), CLOSE_TIMEOUT_MS);
    },
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let dataDir: string | undefined;
  let unlock = () => {};
  if (!options.inMemory) {
    dataDir = `${options.dataDir}/pglite`;
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(`${options.dataDir}/pglite.lock`);
  }
  // Loaded only here: a server on PostgreSQL never holds PGlite's module (about 12 MB).
  const [{ PgliteThread: Thread }, { PrismaPGlite }] = await Promise.all([import('./pglite-thread.js'), import('pglite-prisma-adapter')]);
  let client: PgliteThread;
  try {
    // A smaller shared_buffers keeps the embedded server near 270 MB RSS instead of ~400 MB.
    client = await Thread.open({ dataDir, startParams: ['-c', 'shared_buffers=16MB'] });
  } catch (error) {
    unlock();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client.asPglite()) });
  return {
    kind: 'pglite',
    prisma,
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query<Row>(text, params)).rows;
    },
    async migrate() {
      const session: SqlSession = {
        query: async <Row>(text: string, params?: unknown[]) => (await client.query<Row>(text, params)).rows,
        exec: async (script) => {
          await client.exec(script);
        },
      };
      return applyMigrations(session, await readMigrations());
    },
    async ping() {
      await client.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      if (!client.closed) await client.close();
      unlock();
    },
  };
}
