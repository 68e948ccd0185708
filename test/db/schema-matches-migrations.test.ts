import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * Prisma's schema engine (which would diff schema.prisma against the migrations) cannot be
 * downloaded on these machines, so this test does the comparison itself: it derives the tables,
 * columns, keys, indexes and foreign keys schema.prisma describes, applies the committed
 * migrations to a fresh database, reads the same facts from the catalog, and requires equality.
 * Changing one without the other fails here.
 */

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
  Float: 'double precision',
};
const NATIVE_TYPES: Record<string, string> = { 'Timestamptz(3)': 'timestamp(3) with time zone' };

interface Column {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}
interface Index {
  table: string;
  columns: string;
  unique: boolean;
  primary: boolean;
}
interface ForeignKey {
  table: string;
  columns: string;
  references: string;
  onDelete: string;
}

function parseSchema(source: string) {
  const withoutComments = source.replace(/\/\/.*$/gm, '');
  const models = [...withoutComments.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)];
  const modelNames = new Set(models.map((match) => match[1]!));
  const columns: Column[] = [];
  const indexes: Index[] = [];
  const foreignKeys: ForeignKey[] = [];
  for (const [, table, body] of models) {
    for (const rawLine of body!.split('\n')) {
      const line = rawLine.trim();
      if (line === '') continue;
      const block = line.match(/^@@(id|unique|index)\(\[([^\]]*)\]/);
      if (block) {
        const names = block[2]!.split(',').map((name) => name.trim());
        indexes.push({ table: table!, columns: names.join(','), unique: block[1] !== 'index', primary: block[1] === 'id' });
        continue;
      }
      const field = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/);
      if (!field) continue;
      const [, name, type, list, optional, attributes = ''] = field;
      const relation = attributes.match(/@relation\([^)]*fields:\s*\[([^\]]*)\][^)]*references:\s*\[([^\]]*)\](?:[^)]*onDelete:\s*(\w+))?/);
      if (relation) {
        foreignKeys.push({
          table: table!,
          columns: relation[1]!
            .split(',')
            .map((part) => part.trim())
            .join(','),
          references: `${type}(${relation[2]!
            .split(',')
            .map((part) => part.trim())
            .join(',')})`,
          onDelete: (relation[3] ?? (optional ? 'SetNull' : 'Restrict')).toLowerCase(),
        });
      }
      if (list || modelNames.has(type!)) continue;
      const native = attributes.match(/@db\.(\w+(?:\([^)]*\))?)/)?.[1];
      columns.push({
        table: table!,
        column: name!,
        type: native ? (NATIVE_TYPES[native] ?? native) : (SCALAR_TYPES[type!] ?? type!),
        nullable: Boolean(optional),
        hasDefault: /@default\(/.test(attributes),
      });
      if (/@id\b/.test(attributes)) indexes.push({ table: table!, columns: name!, unique: true, primary: true });
      if (/@unique\b/.test(attributes)) indexes.push({ table: table!, columns: name!, unique: true, primary: false });
    }
  }
  return { columns, indexes, foreignKeys };
}

const sortBy = (items: unknown[]) => [...items].map((item) => JSON.stringify(item)).sort();

describe('schema.prisma and prisma/migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('describe the same database', async () => {
    const expected = parseSchema(readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8'));
    const prisma = database.db.prisma;

    const columns = await prisma.$queryRaw<{ table: string; column: string; type: string; nullable: boolean; hasDefault: boolean }[]>`
      SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type",
             NOT a.attnotnull AS "nullable", a.atthasdef AS "hasDefault"
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         AND c.relname <> '_prisma_migrations'`;
    const indexes = await prisma.$queryRaw<{ table: string; columns: string; unique: boolean; primary: boolean }[]>`
      SELECT t.relname AS "table",
             (SELECT string_agg(a.attname, ',' ORDER BY k.ordinality) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS "columns",
             i.indisunique AS "unique", i.indisprimary AS "primary"
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`;
    const foreignKeys = await prisma.$queryRaw<{ table: string; columns: string; references: string; onDelete: string }[]>`
      SELECT t.relname AS "table",
             (SELECT string_agg(a.attname, ',' ORDER BY k.ordinality) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ordinality)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS "columns",
             r.relname || '(' || (SELECT string_agg(a.attname, ',' ORDER BY k.ordinality) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ordinality)
                JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = k.attnum) || ')' AS "references",
             CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'setnull' WHEN 'r' THEN 'restrict' WHEN 'a' THEN 'noaction' ELSE 'setdefault' END AS "onDelete"
        FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
       WHERE con.contype = 'f'`;

    expect(sortBy(columns)).toEqual(sortBy(expected.columns));
    expect(sortBy(indexes)).toEqual(sortBy(expected.indexes));
    expect(sortBy(foreignKeys)).toEqual(sortBy(expected.foreignKeys));
  });

  it('are recorded in _prisma_migrations the way Prisma records them', async () => {
    const rows = await database.db.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]>`
      SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });
});
