import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';

export type DatabaseKind = 'pglite' | 'postgresql';

/** The migrated databases test/support/database-templates.ts made for this run (vitest's globalSetup). */
interface DatabaseTemplates {
  /** A directory for this run's embedded databases, removed after the run. */
  root: string;
  /** A migrated PGlite data directory (what DATA_DIR/pglite holds). */
  pglite: string;
  /** A migrated database on the PostgreSQL server, when it answered. */
  postgres: string | undefined;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplates: DatabaseTemplates;
  }
}

/** Why the PostgreSQL server at `url` does not answer; undefined when it does. */
export async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let postgresAvailable: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers; when it must (REQUIRE_POSTGRES=1) and does not, fail loudly. */
export function isPostgresAvailable(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const problem = await postgresProblem(TEST_DATABASE_URL);
    if (problem === undefined) return true;
    if (REQUIRE_POSTGRES) throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${TEST_DATABASE_URL} does not answer: ${problem}`);
    console.warn(`\n[notice] PostgreSQL at ${TEST_DATABASE_URL} does not answer: PostgreSQL-backed tests are SKIPPED. Set REQUIRE_POSTGRES=1 to make this a failure.\n`);
    return false;
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

/** This run's templates; undefined when vitest runs without test/support/database-templates.ts. */
function templates(): DatabaseTemplates | undefined {
  return inject('databaseTemplates');
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new, migrated database on the PostgreSQL server to copy test databases from (globalSetup). */
export async function createTemplateDatabase(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `tpl_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${name}"`);
  try {
    const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: '', poolSize: 1 });
    await db.migrate().finally(() => db.close());
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, drop };
}

/**
 * A new DATA_DIR whose embedded database is already migrated, for a server or CLI that opens
 * DATA_DIR itself (a copy of this run's template; the caller removes the directory).
 */
export async function migratedDataDir(prefix = 'data-'): Promise<string> {
  const found = templates();
  const dataDir = mkdtempSync(path.join(found?.root ?? tmpdir(), prefix));
  if (found) {
    cpSync(found.pglite, path.join(dataDir, 'pglite'), { recursive: true });
  } else {
    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    await db.migrate().finally(() => db.close());
  }
  return dataDir;
}

/** A fresh, migrated database: embedded PGlite in its own directory, or a new database on the PostgreSQL server. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dataDir = await migratedDataDir('pglite-');
    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    // Nothing left to apply; this only checks the copy matches this checkout's migrations.
    await db.migrate();
    return {
      db,
      kind,
      url: undefined,
      async drop() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = templates()?.postgres;
  await adminQuery(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
  const url = databaseUrl(name);
  const db = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 5 });
  await db.migrate();
  return {
    db,
    kind,
    url,
    async drop() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
