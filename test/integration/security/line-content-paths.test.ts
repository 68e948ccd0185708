// A photo's message id comes from the webhook body, and the SDK splices it into the content API's
// path (`/v2/bot/message/{id}/content`) with our channel token attached. Every id that is not one of
// LINE's decimal message ids must be refused before any request leaves; a genuine one must reach
// exactly its content path. The LINE side is the stub speaking LINE's API; the client is the SDK's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { createLineClient } from '../../../src/line/line-client.js';
import { fetchImage } from '../../../src/links/fetch-image.js';
import { renderQrPng } from '../../../src/links/qr.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { seedMember } from '../links/links-support.js';

const [kind = 'pglite'] = await databaseKinds();

/** Ids an attacker could put in a forged or replayed image event (signed webhooks make this unlikely, not impossible). */
const HOSTILE_IDS = [
  '../../info',
  '../../../v2/bot/profile/Uowner',
  '..%2F..%2Finfo',
  '1/../../../v2/bot/followers/ids',
  '700000000001#',
  '700000000001?x=1',
  '700000000001/',
  ' 700000000001',
  '７００００００００００１',
  '0x1F',
  '1e9',
  '-1',
  '',
  '1'.repeat(33),
];

describe('requests to LINE with attacker-chosen paths', () => {
  let database: TestDatabase;
  let line: LineApiStub;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedMember(database.db.prisma, 'shop-a', 'Ua');
    line = new LineApiStub({ channelAccessToken: 'token' });
    url = await line.listen();
  });
  afterAll(async () => {
    await line?.close();
    await database?.drop();
  });

  const fetchWith = (messageId: string, mediaId: string) =>
    fetchImage(createLineClient({ channelAccessToken: 'token', apiBaseUrl: url, dataApiBaseUrl: url }), database.db.prisma, { merchantId: 'shop-a', messageId, mediaId });

  it('refuses every id that is not a LINE message id before sending anything', async () => {
    line.requests.length = 0;
    for (const [index, messageId] of HOSTILE_IDS.entries()) {
      expect(await fetchWith(messageId, `img_hostile_${index}`), JSON.stringify(messageId)).toEqual({ ok: false, reason: 'unavailable' });
    }
    expect(line.requests).toEqual([]);
    expect(await database.db.prisma.media.count()).toBe(0);
  });

  it('fetches a decimal message id from its own content path only', async () => {
    line.requests.length = 0;
    line.contents.set('700000000001', { bytes: await renderQrPng('photo'), contentType: 'image/png' });
    expect(await fetchWith('700000000001', 'img_genuine')).toMatchObject({ ok: true, mediaId: 'img_genuine', mimeType: 'image/png' });
    expect(line.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v2/bot/message/700000000001/content']);
  });
});
