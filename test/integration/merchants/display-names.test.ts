import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineClient } from '../../../src/line/line-client.js';
import { LineApiStub } from '../../../src/line/line-api-stub.js';
import { createLogger } from '../../../src/logger.js';
import { DISPLAY_NAME_TTL_MS, displayName } from '../../../src/merchants/display-names.js';

describe('members’ display names', () => {
  let stub: LineApiStub;
  const log = createLogger('silent');
  const client = () => createLineClient({ channelAccessToken: 'token', apiBaseUrl: stub.origin, dataApiBaseUrl: stub.origin });
  const profileCalls = (userId: string) => stub.requests.filter((request) => request.path === `/v2/bot/profile/${userId}`).length;

  beforeAll(async () => {
    stub = new LineApiStub({ channelAccessToken: 'token' });
    await stub.listen();
    stub.profiles.set('Uhanako0001', { displayName: '山田花子' });
  });
  afterAll(async () => {
    await stub?.close();
  });

  it('come from the LINE profile API once, then from the cache until it expires', async () => {
    const line = client();
    const now = Date.now();
    expect(await displayName(line, 'Uhanako0001', log, now)).toBe('山田花子');
    expect(await displayName(line, 'Uhanako0001', log, now + 1000)).toBe('山田花子');
    expect(profileCalls('Uhanako0001')).toBe(1);
    stub.profiles.set('Uhanako0001', { displayName: 'Hanako' });
    expect(await displayName(line, 'Uhanako0001', log, now + DISPLAY_NAME_TTL_MS + 1)).toBe('Hanako');
    expect(profileCalls('Uhanako0001')).toBe(2);
  });

  it('fall back to a short id when LINE has no profile for the user', async () => {
    stub.failNext(/\/v2\/bot\/profile\/Ublocked9876/, 404, { message: 'Not found' });
    const line = client();
    expect(await displayName(line, 'Ublocked9876', log)).toBe('…9876');
  });
});
