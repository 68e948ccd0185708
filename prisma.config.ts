import { defineConfig } from 'prisma/config';

// The app never asks the Prisma CLI for a database connection: migrations are applied by
// src/db/migrate.ts. DATABASE_URL is only read here for `prisma migrate deploy` on machines
// that have Prisma's schema engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});
