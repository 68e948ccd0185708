import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlSession } from './sql.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

// Same key Prisma's schema engine takes, so this runner and `prisma migrate deploy` exclude each other.
const ADVISORY_LOCK_KEY = 72707369;

// Prisma's own bookkeeping table, column for column, so `prisma migrate deploy` on a machine
// with the schema engine sees these migrations as applied.
const CREATE_BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so
 * two instances starting at once apply each migration exactly once.
 * Returns the names applied by this call.
 */
export async function applyMigrations(session: SqlSession, migrations: Migration[]): Promise<string[]> {
  await session.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_BOOKKEEPING);
    const rows = await session.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const appliedNow: string[] = [];
    for (const migration of migrations) {
      const existing = applied.get(migration.name);
      if (existing) {
        if (existing.finished_at === null) {
          throw new MigrationError(`Migration ${migration.name} started earlier but never finished; inspect the database, then mark it rolled back in _prisma_migrations`);
        }
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError(`Migration ${migration.name} was edited after it was applied (checksum differs); add a new migration instead`);
        }
        continue;
      }
      const id = randomUUID();
      await session.exec('BEGIN');
      try {
        await session.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)', [id, migration.checksum, migration.name]);
        await session.exec(migration.sql);
        await session.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await session.exec('COMMIT');
      } catch (error) {
        await session.exec('ROLLBACK');
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
  }
}
