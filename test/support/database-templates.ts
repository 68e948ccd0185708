// vitest globalSetup: one migrated database of each kind, made once per run. Every test database
// starts as a copy of it — PGlite's files copied into a fresh DATA_DIR, PostgreSQL's by
// CREATE DATABASE … TEMPLATE — instead of initialising an embedded cluster (2–10 s on these two
// cores) and applying every migration again, dozens of times per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { createTemplateDatabase, postgresProblem, TEST_DATABASE_URL } from './databases.js';

async function migratedPglite(root: string): Promise<string> {
  const dataDir = path.join(root, 'template');
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  return path.join(dataDir, 'pglite');
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = mkdtempSync(path.join(tmpdir(), 'test-databases-'));
  // No server: no PostgreSQL template; the suites say so themselves (or fail under REQUIRE_POSTGRES).
  const pgliteTemplate = migratedPglite(root);
  const postgresTemplate = postgresProblem(TEST_DATABASE_URL).then((problem) => (problem === undefined ? createTemplateDatabase() : undefined));
  let made;
  try {
    made = await Promise.all([pgliteTemplate, postgresTemplate]);
  } catch (error) {
    // Leave nothing behind: the teardown below exists only once this setup returns.
    await postgresTemplate.then(
      (template) => template?.drop(),
      () => undefined,
    );
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const [pglite, postgres] = made;
  project.provide('databaseTemplates', { root, pglite, postgres: postgres?.name });
  return async () => {
    await postgres?.drop();
    rmSync(root, { recursive: true, force: true });
  };
}
