// The sandbox buyer's Pay and Decline, as the sandbox page performs them: what each records and
// what it tells the page.
import { describe, expect, it } from 'vitest';
import { paySandboxSession } from '../../../src/payments/sandbox/sandbox-actions.js';
import { createSandboxProvider } from '../../../src/payments/sandbox/sandbox-provider.js';
import { databaseKinds } from '../../support/databases.js';
import { fixtureId } from '../../support/buyer-fixtures.js';
import { useTestDatabase } from '../../support/suite-setup.js';

describe.each(await databaseKinds())('sandbox buyer actions on %s', (kind) => {
  const { prisma } = useTestDatabase(kind);

  async function openSession(): Promise<string> {
    const provider = createSandboxProvider({ prisma, publicBaseUrl: 'http://127.0.0.1:1' });
    const session = await provider.createSession({
      amount: 1500,
      currency: 'JPY',
      locale: 'en',
      returnUrl: 'http://127.0.0.1:1/l/x/return',
      lineItem: { description: 'Tea', amount: 1500, quantity: 1 },
      metadata: {},
      idempotencyKey: fixtureId('chk'),
    });
    return session.id;
  }

  it('says declined for a declined payment and keeps the session open for another try', async () => {
    const sessionId = await openSession();
    const result = await paySandboxSession(prisma, sessionId, 'failed');
    expect(result.kind).toBe('declined');
    if (result.kind !== 'declined') return;
    expect(result.payment.status).toBe('failed');
    expect(result.session.status).toBe('pending');

    const retried = await paySandboxSession(prisma, sessionId, 'captured');
    expect(retried.kind).toBe('captured');
    if (retried.kind !== 'captured') return;
    expect(retried.payment.status).toBe('captured');
    expect(retried.session).toMatchObject({ status: 'completed', paymentId: retried.payment.id });
    expect((await paySandboxSession(prisma, sessionId, 'captured')).kind).toBe('closed');
  });
});
