// `discount:create` / `discount:list` with --json: one object each, the same rules as the chat,
// and errors an operator can act on.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, type CliContext } from '../../../src/cli/commands.js';
import { discountCommands } from '../../../src/cli/discount-commands.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { openDatabase } from '../../../src/db/database.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { seedLink, type SeededLink } from '../../support/buyer-fixtures.js';

const run = promisify(execFile);
const [create, list] = discountCommands as [(typeof discountCommands)[number], (typeof discountCommands)[number]];

describe.each(await databaseKinds())('discount commands on %s', (kind) => {
  let database: TestDatabase;
  let link: SeededLink;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    link = await seedLink(database.db.prisma, { amount: 3000 });
  });
  afterAll(async () => {
    await database?.drop();
  });

  function context(flags: Record<string, string | true>): CliContext {
    return { config: loadConfig({ DATA_DIR: tmpdir() }), db: database.db, log: createLogger('silent'), flags: new Map(Object.entries({ ...flags, json: true })), stdin: process.stdin };
  }

  it('creates a percentage code for chosen links, capped and expiring, and lists it with its uses', async () => {
    const created = await create.run(context({ merchant: link.merchantId, code: 'ｓｕｍｍｅｒ２０', percent: '20', cap: '5', expires: '2026-12-31T23:59:59+09:00', link: link.slug }));
    expect(created.json).toMatchObject({ code: 'summer20', percentOff: 20, usageCap: 5, uses: 0, active: true, expiresAt: '2026-12-31T14:59:59.000Z', links: [link.slug] });
    const amount = await create.run(context({ merchant: link.merchantId, code: 'OFF500', amount: '500' }));
    expect(amount.json).toMatchObject({ code: 'OFF500', amountOff: 500, currency: 'JPY', usageCap: null, links: [] });
    const listed = await list.run(context({ merchant: link.merchantId }));
    expect(listed.json).toMatchObject({ merchantId: link.merchantId, codes: [{ code: 'OFF500' }, { code: 'summer20', uses: 0 }] });
  });

  it.each([
    [{ code: 'SUMMER20', percent: '10' }, 'this shop already has the code summer20', 2],
    [{ code: 'NEW1', percent: '10', amount: '100' }, 'give exactly one of --percent N and --amount N', 2],
    [{ code: 'NEW1', percent: '100' }, '--percent must be a whole number from 1 to 99', 2],
    [{ code: 'NEW1', percent: '10', link: 'nope' }, 'no link "nope" in this shop', 3],
  ])('refuses %j', async (flags, message, exitCode) => {
    const failure = await create.run(context({ merchant: link.merchantId, ...flags })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect(failure).toMatchObject({ message, exitCode });
  });
});

describe('discount:create as a process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'discount-cli-'));
  let databaseUrl: string | undefined;
  let drop: () => Promise<void> = async () => undefined;
  let link: SeededLink;

  beforeAll(async () => {
    if ((await databaseKinds()).includes('postgresql')) {
      const database = await createTestDatabase('postgresql');
      databaseUrl = database.url;
      link = await seedLink(database.db.prisma, {});
      drop = () => database.drop();
    } else {
      // The CLI opens the embedded database in DATA_DIR itself: seed it there and let go of it.
      const db = await openDatabase({ databaseUrl: undefined, dataDir });
      await db.migrate();
      link = await seedLink(db.prisma, {});
      await db.close();
    }
  });
  afterAll(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints exactly one JSON object on stdout with --json', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    const args = ['dist/cli/admin.js', 'discount:create', '--merchant', link.merchantId, '--code', 'WELCOME', '--amount', '300', '--json'];
    const { stdout } = await run(process.execPath, args, { env, timeout: 25_000 });
    expect(JSON.parse(stdout)).toMatchObject({ code: 'WELCOME', amountOff: 300, currency: 'JPY', uses: 0 });
  });
});
