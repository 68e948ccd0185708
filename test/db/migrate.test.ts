import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, isPostgresAvailable } from '../support/databases.js';

describe.runIf(await isPostgresAvailable())('migrations on PostgreSQL', () => {
  it('are applied exactly once when several instances start at the same time', async () => {
    const database = await createTestDatabase('postgresql');
    // createTestDatabase migrated it; start from an empty schema to race the first apply.
    await database.db.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE');
    await database.db.prisma.$executeRawUnsafe('CREATE SCHEMA public');
    const instances = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 })));
    try {
      const applied = await Promise.all(instances.map((instance) => instance.migrate()));
      expect(applied.flat()).toHaveLength(applied.find((names) => names.length > 0)!.length);
      expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
      const rows = await database.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "_prisma_migrations"`;
      expect(Number(rows[0]!.n)).toBe(applied.flat().length);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await database.drop();
    }
  });
});

describe('migration bookkeeping', () => {
  it('refuses to start when an applied migration was edited', async () => {
    const database = await createTestDatabase('pglite');
    try {
      await database.db.prisma.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
      await expect(database.db.migrate()).rejects.toThrow(/edited after it was applied/);
    } finally {
      await database.drop();
    }
  });
});
