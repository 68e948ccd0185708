import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/db/errors.js';
import { MAX_EXPORT_ROWS } from '../../src/exports/payments-csv.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

// PGlite runs on a worker thread (src/db/pglite-thread.ts): values, errors and transactions cross
// a message channel, and the main thread stays free while PostgreSQL works. Every database the
// process opens shares that one thread.
describe('the embedded database on its own thread', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database?.drop());

  it('keeps the event loop running while a long statement runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const started = Date.now();
      await database.db.query('SELECT sum(i) FROM generate_series(1, 3000000) AS i');
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThan(100);
      // On the main thread the statement held the loop for its whole run: no tick at all.
      expect(ticks).toBeGreaterThan(elapsed / 5 / 4);
    } finally {
      clearInterval(timer);
    }
  });

  it('answers a CSV export’s worth of rows and stays up', async () => {
    // 50,000 rows of 26 columns (MAX_EXPORT_ROWS payments): with a 96 MB heap cap the thread died
    // and took the database with it.
    const columns = Array.from({ length: 24 }, (_, index) => `md5(g::text || '${index}') AS c${index}`).join(', ');
    const rows = await database.db.query(`SELECT g, now() AS at, ${columns}, '{"name":"山田太郎"}'::jsonb AS details FROM generate_series(1, ${MAX_EXPORT_ROWS}) AS g`);
    expect(rows).toHaveLength(MAX_EXPORT_ROWS);
    expect(await database.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('returns bytes, dates, big integers, JSON and nulls as they were', async () => {
    const bytes = Buffer.from([0, 1, 2, 137, 80, 78, 71, 255]);
    const at = new Date('2026-12-07T17:00:00.123Z');
    const [row] = await database.db.query<{ b: Uint8Array; t: Date; n: string | number | bigint; j: unknown; z: null }>(
      'SELECT $1::bytea AS b, $2::timestamptz AS t, 9007199254740993::int8 AS n, $3::jsonb AS j, NULL AS z',
      [bytes, at, JSON.stringify({ a: [1, 'x'] })],
    );
    expect(Buffer.from(row!.b).equals(bytes)).toBe(true);
    expect(row!.t).toEqual(at);
    expect(String(row!.n)).toBe('9007199254740993');
    expect(row!.j).toEqual({ a: [1, 'x'] });
    expect(row!.z).toBeNull();

    const [viaPrisma] = await database.db.prisma.$queryRawUnsafe<{ b: Uint8Array; t: Date; n: bigint; j: unknown }[]>(
      'SELECT $1::bytea AS b, $2::timestamptz AS t, 9007199254740993::int8 AS n, $3::jsonb AS j',
      bytes,
      at,
      { a: [1, 'x'] },
    );
    expect(Buffer.from(viaPrisma!.b).equals(bytes)).toBe(true);
    expect(viaPrisma!.t).toEqual(at);
    expect(viaPrisma!.n).toBe(9007199254740993n);
    expect(viaPrisma!.j).toEqual({ a: [1, 'x'] });
  });

  it("keeps PostgreSQL's error fields, so Prisma still reports a unique violation", async () => {
    await database.db.prisma.lineUser.create({ data: { id: 'Uthread-unique' } });
    const duplicate = await database.db.prisma.lineUser.create({ data: { id: 'Uthread-unique' } }).catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const raw = await database.db.query('INSERT INTO "LineUser" (id, "updatedAt") VALUES (\'Uthread-unique\', now())').catch((error: unknown) => error);
    expect(raw).toMatchObject({ code: '23505', constraint: 'LineUser_pkey' });
  });

  it('runs an interactive transaction alone: a statement from outside waits for its end, a throw rolls it back', async () => {
    const order: string[] = [];
    let outside: Promise<unknown> | undefined;
    await database.db.prisma
      .$transaction(async (tx) => {
        await tx.lineUser.create({ data: { id: 'Uthread-tx' } });
        outside = database.db.query<{ id: string }>('SELECT id FROM "LineUser" WHERE id = $1', ['Uthread-tx']).then((rows) => order.push(`outside saw ${rows.length}`));
        await new Promise((resolve) => setTimeout(resolve, 100));
        order.push('transaction ends');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await outside;
    expect(order).toEqual(['transaction ends', 'outside saw 0']);

    await database.db.prisma.$transaction(async (tx) => {
      await tx.lineUser.create({ data: { id: 'Uthread-tx' } });
    });
    expect(await database.db.prisma.lineUser.count({ where: { id: 'Uthread-tx' } })).toBe(1);
  });

  it('keeps the databases sharing the thread apart: rows, an open transaction, a close', async () => {
    const other = await createTestDatabase('pglite');
    try {
      await other.db.prisma.lineUser.create({ data: { id: 'Uthread-other' } });
      expect(await database.db.prisma.lineUser.count({ where: { id: 'Uthread-other' } })).toBe(0);

      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = other.db.prisma.$transaction(async (tx) => {
        await tx.lineUser.create({ data: { id: 'Uthread-held' } });
        await held;
      });
      // A transaction holds only its own database: the other answers meanwhile.
      expect(await database.db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      release();
      await transaction;
      expect(await other.db.prisma.lineUser.count({ where: { id: 'Uthread-held' } })).toBe(1);
    } finally {
      await other.drop();
    }
    expect(await database.db.prisma.lineUser.count({ where: { id: 'Uthread-other' } })).toBe(0);
  });
});
