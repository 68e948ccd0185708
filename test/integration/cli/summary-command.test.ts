// `npm run admin -- summary --link SLUG --json`: the contract's object for a link with recorded
// payments, in process on every database kind, and once as a real process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/commands.js';
import type { CliContext } from '../../../src/cli/commands.js';
import { summaryCommand } from '../../../src/cli/summary-command.js';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/database.js';
import type { Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { runAdminProcess } from '../../support/admin-cli.js';
import { createTestDatabase, databaseKinds, migratedDataDir } from '../../support/databases.js';
import { deliver, fixtureId, komojuEvent, seedCheckout, seedLink } from '../../support/ledger-fixtures.js';
import type { SeededLink } from '../../support/ledger-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

const expected = { currency: 'USD', capturedAmount: 1000, capturedPayments: 1, pendingPayments: 1, refundedPayments: 1 };

/** One paid-and-partly-refunded payment, one abandoned checkout, one fully refunded payment. */
async function seedSales(db: Database): Promise<SeededLink> {
  const link = await seedLink(db.prisma, { amount: 1250, currency: 'USD' });
  const paid = await seedCheckout(db.prisma, link.linkId);
  await seedCheckout(db.prisma, link.linkId);
  const refunded = await seedCheckout(db.prisma, link.linkId);
  const base = { amount: 1250, currency: 'USD', metadata: { linkId: link.linkId } };
  await deliver(db.prisma, komojuEvent('payment.captured', { ...base, id: fixtureId('pay'), status: 'captured', session: paid.sessionId, refunds: [{ id: fixtureId('rf'), amount: 250 }] }));
  await deliver(db.prisma, komojuEvent('payment.refunded', { ...base, id: fixtureId('pay'), status: 'refunded', session: refunded.sessionId, refunds: [{ id: fixtureId('rf'), amount: 1250 }] }));
  return link;
}

describe.each(await databaseKinds())('admin summary command on %s', (kind) => {
  const { database } = useTestDatabase(kind);
  let link: SeededLink;

  beforeAll(async () => {
    link = await seedSales(database.db);
  });

  function context(slug: string): CliContext {
    return {
      config: loadConfig({ DATA_DIR: tmpdir() }),
      db: database.db,
      log: createLogger('silent'),
      flags: new Map<string, string | true>([
        ['link', slug],
        ['json', true],
      ]),
      stdin: process.stdin,
    };
  }

  it('answers the four numbers and the currency, nothing else', async () => {
    const result = await summaryCommand.run(context(link.slug));
    expect(result.json).toEqual(expected);
    expect(result.text).toContain('captured payments: 1');
  });

  it('refuses an unknown slug with exit code 3', async () => {
    const failure = await summaryCommand.run(context('no-such-link')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect(failure).toMatchObject({ exitCode: 3, message: 'no link with slug "no-such-link"' });
  });
});

describe('admin summary command as a process', () => {
  let dataDir = '';
  let databaseUrl: string | undefined;
  let drop: () => Promise<void> = async () => undefined;
  let link: SeededLink;

  beforeAll(async () => {
    if ((await databaseKinds()).includes('postgresql')) {
      dataDir = mkdtempSync(path.join(tmpdir(), 'ledger-cli-'));
      const database = await createTestDatabase('postgresql');
      databaseUrl = database.url;
      link = await seedSales(database.db);
      drop = () => database.drop();
    } else {
      // The CLI opens the embedded database in DATA_DIR itself: seed it there and let go of it.
      dataDir = await migratedDataDir('ledger-cli-');
      const db = await openDatabase({ databaseUrl: undefined, dataDir });
      link = await seedSales(db);
      await db.close();
    }
  });
  afterAll(async () => {
    await drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints exactly the contract object on stdout with --json', async () => {
    const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    const { code, stdout, stderr } = await runAdminProcess(['summary', '--link', link.slug, '--json'], env);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
