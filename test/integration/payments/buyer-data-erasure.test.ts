// Erasure that erases: a buyer's details are put in every place BUYER_DATA_PLACES names (through
// the real Pay form and a signed KOMOJU webhook where a buyer puts them there; inserted directly
// for the sandbox's rows and the chat's), the rows are aged past BUYER_DATA_RETENTION_DAYS, the
// retention job runs, and then the whole database — every column of every table, cast to text —
// holds none of the values, nor do the server's logs or a CSV downloaded afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { eraseExpiredBuyerDetails } from '../../../src/payments/buyer-data-retention.js';
import { signExportToken } from '../../../src/exports/export-token.js';
import type { Prisma } from '../../../src/db/database.js';
import { databaseKinds } from '../../support/databases.js';
import { fixtureId, formTokenIn, seedLink, sessionIdFrom } from '../../support/buyer-fixtures.js';
import { useFakeKomoju, useLineHarness } from '../../support/suite-setup.js';

const SECRET_KEY = 'sk_test_erasure_0123456789';
const WEBHOOK_SECRET = 'whsec_erasure_0123456789abcdef';
const DAY_MS = 24 * 60 * 60 * 1000;

// Distinctive values, one per kind of detail, each found nowhere else.
const BUYER = {
  name: 'Zebulon Quillfeather',
  kanaName: 'ｸｲﾙﾌｪｻﾞｰ ｾﾞﾌﾞﾛﾝ',
  phone: '09087654321',
  email: 'zebulon.quill@erasure.example',
  postalCode: '150-0042',
  line1: '渋谷区宇田川町9-8-7 消去ビル',
  answer: 'Vermilion-Quokka',
  bankAccount: '7654321',
};

/** Every row of every table of the database as text (bytea as hex, json as its text). */
async function wholeDatabaseText(prisma: Prisma): Promise<string> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${table}" t`);
    parts.push(...rows.map((row) => `${table}: ${row.row}`));
  }
  return parts.join('\n');
}

/** The seeded values found in `text`, also looked for as UTF-8 hex (bytea) and JSON-escaped. */
function seededValuesIn(text: string): string[] {
  const lower = text.toLowerCase();
  return Object.values(BUYER).filter((value) => {
    const forms = [value, Buffer.from(value, 'utf8').toString('hex'), JSON.stringify(value).slice(1, -1)];
    return forms.some((form) => lower.includes(form.toLowerCase()));
  });
}

describe.each(await databaseKinds())('buyer data erasure on %s', (kind) => {
  const fake = useFakeKomoju(SECRET_KEY);
  const { prisma, harness } = useLineHarness(kind, () => ({
    env: { KOMOJU_SECRET_KEY: SECRET_KEY, KOMOJU_WEBHOOK_SECRET: WEBHOOK_SECRET, KOMOJU_API_BASE_URL: fake.url, TRUST_PROXY: 'loopback', BUYER_DATA_RETENTION_DAYS: '1' },
  }));
  afterEach(async () => {
    await harness.server.worker.idle();
  });

  it('leaves none of a buyer’s details anywhere in the database, the logs or the CSV once past retention', async () => {
    const link = await seedLink(prisma, { language: 'en', buyerFields: { ask: ['name', 'phone', 'email', 'address'], question: { text: 'Pickup note?', choices: [] } } });
    // 1. The buyer fills in the page: Checkout.buyerDetails, and KOMOJU's session metadata.
    const token = formTokenIn(await (await fetch(`${harness.url}/l/${link.slug}`)).text());
    const pressed = await fetch(`${harness.url}/l/${link.slug}/checkout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: harness.url, 'X-Forwarded-For': '203.0.113.77' },
      body: new URLSearchParams({
        token,
        buyerName: BUYER.name,
        phone: BUYER.phone,
        email: BUYER.email,
        country: 'JP',
        postalCode: BUYER.postalCode,
        address1: BUYER.line1,
        answer: BUYER.answer,
      }).toString(),
    });
    expect(pressed.status).toBe(303);
    // 2. KOMOJU reports the payment with the buyer's details (Payment.buyerEmail, ProviderEvent.payload).
    const payment = fake.completeSession(sessionIdFrom(pressed), 'captured');
    const event = fake.event('payment.captured', payment.id);
    const details = { type: 'konbini', email: BUYER.email, name: BUYER.name, phone: BUYER.phone, family_name_kana: BUYER.kanaName, address: { zipcode: BUYER.postalCode, street: BUYER.line1 } };
    const body = { ...event, data: { ...event.data, payment_details: details } };
    expect(await fake.sendWebhook(`${harness.url}/webhooks/komoju`, body, WEBHOOK_SECRET)).toBe(200);
    await harness.line.waitForMessages(link.creatorId, 1);
    expect((await prisma.payment.findFirstOrThrow({ where: { linkId: link.linkId } })).buyerEmail).toBe(BUYER.email);
    // 3. The sandbox's copies (sessions, payments, subscriptions keep the session metadata).
    const metadata = { linkId: link.linkId, buyerName: BUYER.name, buyerPhone: BUYER.phone, shippingAddress: `JP ${BUYER.postalCode} ${BUYER.line1}`, buyerAnswer: `Pickup note? ${BUYER.answer}` };
    await prisma.sandboxSession.create({
      data: { id: fixtureId('sbs'), amount: 1000, currency: 'JPY', locale: 'en', returnUrl: 'http://127.0.0.1:1/r', metadata, lineItems: [], expiresAt: new Date(Date.now() + DAY_MS) },
    });
    await prisma.sandboxPayment.create({ data: { id: fixtureId('sbp'), status: 'captured', amount: 1000, currency: 'JPY', metadata } });
    await prisma.sandboxSubscription.create({ data: { id: fixtureId('sbsub'), customerId: 'cus_2', amount: 1000, currency: 'JPY', period: 'monthly', metadata } });
    // 4. The chat: an owner types a buyer's bank details for a refund request; Transactions replies
    // with the buyer's name; a refund dialog left unfinished keeps its answers.
    await prisma.lineEvent.create({
      data: {
        webhookEventId: fixtureId('we'),
        userId: link.creatorId,
        payload: { type: 'message', message: { type: 'text', text: `${BUYER.kanaName} ${BUYER.bankAccount}` } },
        status: 'done',
        outbox: [{ type: 'text', text: `${BUYER.name} ${BUYER.email}` }],
        eventTimestamp: BigInt(Date.now()),
      },
    });
    await prisma.conversation.create({
      data: {
        userId: link.creatorId,
        state: 'refund.account',
        slots: { accountName: BUYER.kanaName, accountNumber: BUYER.bankAccount },
        dialogId: 'd1',
        schemaVersion: 1,
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    expect(seededValuesIn(await wholeDatabaseText(prisma)).sort()).toEqual(
      Object.keys(BUYER)
        .map((key) => BUYER[key as keyof typeof BUYER])
        .sort(),
    );

    // Not yet past the period: nothing goes.
    expect(Object.values(await eraseExpiredBuyerDetails(prisma, 1)).every((count) => count === 0)).toBe(true);
    // Three days later (BUYER_DATA_RETENTION_DAYS=1).
    await eraseExpiredBuyerDetails(prisma, harness.config.buyerDataRetentionDays, new Date(Date.now() + 3 * DAY_MS));

    expect(seededValuesIn(await wholeDatabaseText(prisma))).toEqual([]);
    expect(seededValuesIn(harness.logs.lines.join('\n'))).toEqual([]);
    const { token: exportToken } = signExportToken(harness.config.appSecret, { merchantId: link.merchantId, linkId: link.linkId, language: 'en', userId: link.creatorId });
    const csv = await fetch(`${harness.url}/exports/${exportToken}`);
    expect(csv.status).toBe(200);
    const csvText = await csv.text();
    expect(csvText).toContain(payment.id);
    expect(seededValuesIn(csvText)).toEqual([]);
    // What the books need stays: the payment, its amount, the checkout.
    const kept = await prisma.payment.findFirstOrThrow({ where: { linkId: link.linkId } });
    expect(kept).toMatchObject({ id: payment.id, status: 'captured', buyerEmail: null });
    const stored = await prisma.providerEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored.payload).toMatchObject({
      id: event.id,
      type: 'payment.captured',
      data: { id: payment.id, status: 'captured', payment_details: { type: 'konbini' }, metadata: { linkId: link.linkId } },
    });
  });
});
