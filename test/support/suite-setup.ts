// The setup most integration suites share, declared once: a database for the enclosing describe
// (made in its beforeAll, dropped in its afterAll), and the real server on it talking to a fake
// LINE API. Call these at the top of a describe, before the suite's own beforeAll (which then
// runs after them and may seed).
import { afterAll, beforeAll } from 'vitest';
import type { Prisma } from '../../src/db/database.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { startFakeKomoju, type FakeKomoju } from './fake-komoju.js';
import { startLineHarness, type HarnessOptions, type LineHarness } from './line-harness.js';

/**
 * Stands for an object a beforeAll makes: the describe body holds it before it exists, and every
 * property read goes to the object once made. Reading it earlier (or after afterAll) throws.
 */
function madeInBeforeAll<T extends object>(what: string): { ref: T; set(value: T | undefined): void } {
  let current: T | undefined;
  const target = (): T => {
    if (current === undefined) throw new Error(`${what} is used outside its describe's tests (made in beforeAll, gone after afterAll)`);
    return current;
  };
  const ref = new Proxy({} as T, {
    get(_, key) {
      const object = target();
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
    set(_, key, value) {
      return Reflect.set(target(), key, value);
    },
    has(_, key) {
      return Reflect.has(target(), key);
    },
  });
  return {
    ref,
    set(value) {
      current = value;
    },
  };
}

/** Runs `make` in a beforeAll and `dispose` in the matching afterAll; returns what `make` made, late-bound. */
function madeForSuite<T extends object>(what: string, make: () => Promise<T>, dispose: (made: T) => Promise<void>): T {
  const late = madeInBeforeAll<T>(what);
  let made: T | undefined;
  beforeAll(async () => {
    made = await make();
    late.set(made);
  });
  afterAll(async () => {
    late.set(undefined);
    if (made) await dispose(made);
  });
  return late.ref;
}

export interface SuiteDatabase {
  database: TestDatabase;
  /** `database.db.prisma`. */
  prisma: Prisma;
}

/** A fresh migrated database of `kind` for the enclosing describe. */
export function useTestDatabase(kind: DatabaseKind): SuiteDatabase {
  const database = madeForSuite(
    `the ${kind} test database`,
    () => createTestDatabase(kind),
    (made) => made.drop(),
  );
  const prisma = madeInBeforeAll<Prisma>(`the ${kind} test database`);
  beforeAll(() => {
    prisma.set(database.db.prisma);
  });
  afterAll(() => {
    prisma.set(undefined);
  });
  return { database, prisma: prisma.ref };
}

/**
 * A fresh database of `kind` and the server on it (test/support/line-harness.ts) for the enclosing
 * describe. `options` may be a function, read when the server starts (after earlier beforeAlls).
 */
export function useLineHarness(kind: DatabaseKind, options: Omit<HarnessOptions, 'db'> | (() => Omit<HarnessOptions, 'db'>) = {}): SuiteDatabase & { harness: LineHarness } {
  const suite = useTestDatabase(kind);
  // Registered after the database, so its afterAll runs first: the server stops before the drop.
  const harness = madeForSuite(
    `the ${kind} line harness`,
    () => startLineHarness({ ...(typeof options === 'function' ? options() : options), db: suite.database.db }),
    (made) => made.stop(),
  );
  return { ...suite, harness };
}

/** The fake KOMOJU server (test/support/fake-komoju.ts) for the enclosing describe. */
export function useFakeKomoju(secretKey: string): FakeKomoju {
  return madeForSuite(
    'the fake KOMOJU server',
    () => startFakeKomoju({ secretKey }),
    (made) => made.close(),
  );
}
