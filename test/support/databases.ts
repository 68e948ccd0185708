import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';

export type DatabaseKind = 'pglite' | 'postgresql';

let postgresAvailable: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers; when it must (REQUIRE_POSTGRES=1) and does not, fail loudly. */
export function isPostgresAvailable(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      if (REQUIRE_POSTGRES) throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${TEST_DATABASE_URL} does not answer: ${(error as Error).message}`);
      console.warn(`\n[notice] PostgreSQL at ${TEST_DATABASE_URL} does not answer: PostgreSQL-backed tests are SKIPPED. Set REQUIRE_POSTGRES=1 to make this a failure.\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresAvailable;
}

/** The database kinds to run a suite on: PGlite always, PostgreSQL when it answers. */
export async function databaseKinds(): Promise<DatabaseKind[]> {
  return (await isPostgresAvailable()) ? ['pglite', 'postgresql'] : ['pglite'];
}

export interface TestDatabase {
  db: Database;
  kind: DatabaseKind;
  /** A database URL for this test database (PostgreSQL only). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
    await db.migrate();
    return { db, kind, url: undefined, drop: () => db.close() };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
  await db.migrate();
  return {
    db,
    kind,
    url: url.toString(),
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
