import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePostback } from '../../../src/line/postback-data.js';
import { createInvite } from '../../../src/merchants/create-invite.js';
import { createMerchant } from '../../../src/merchants/create-merchant.js';
import { setMerchantKomojuKeys } from '../../../src/merchants/komoju-keys.js';
import { JOIN_ATTEMPTS } from '../../../src/merchants/redeem-invite.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/databases.js';
import { APP_SECRET, messageText, startLineHarness, type LineHarness } from '../../support/line-harness.js';

const kinds = await databaseKinds();

const KOMOJU_SECRET_KEY = 'sk_test_merchantA_do_not_leak_9f8e7d';
const KOMOJU_WEBHOOK_SECRET = 'whsec_merchantA_do_not_leak_1a2b3c';

describe.each(kinds)('merchants in chat on %s', (kind) => {
  let database: TestDatabase;
  let harness: LineHarness;
  let shopA: { id: string; name: string };
  let shopB: { id: string; name: string };
  const issuedCodes: string[] = [];

  const prisma = () => database.db.prisma;

  /** Sends a (signed) button tap and returns the bot's answers as text. */
  async function tap(userId: string, action: string, args: string[] = [], data?: string): Promise<string> {
    const before = harness.line.messagesTo(userId).length;
    const payload = data ?? encodePostback({ action, args, dialogId: null }, APP_SECRET);
    const response = await harness.deliver([harness.postbackEvent(userId, payload)]);
    expect(response.status).toBe(200);
    await harness.line.waitForMessages(userId, before + 1);
    await harness.server.worker.idle();
    return harness.line
      .messagesTo(userId)
      .slice(before)
      .map((entry) => messageText(entry.message))
      .join('\n');
  }

  async function say(userId: string, text: string): Promise<string> {
    return (await harness.say(userId, text)).map(messageText).join('\n');
  }

  async function roleOf(userId: string, merchantId: string): Promise<string | null> {
    const member = await prisma().member.findUnique({ where: { merchantId_userId: { merchantId, userId } } });
    return member?.role ?? null;
  }

  async function inviteCodeFromChat(ownerId: string): Promise<string> {
    const answer = await tap(ownerId, 'invite');
    const code = /([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})/.exec(answer)?.[1];
    if (!code) throw new Error(`no invite code in: ${answer}`);
    issuedCodes.push(code);
    return code;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    harness = await startLineHarness({ db: database.db });
    for (const user of ['UownerA', 'UstaffA', 'UownerB', 'Uguest', 'Ubrute', 'Ulate', 'Usecond']) {
      harness.line.profiles.set(user, { displayName: user.slice(1), language: 'en' });
    }
    shopA = await createMerchant(prisma(), { name: 'Shop A' });
    shopB = await createMerchant(prisma(), { name: 'Shop B' });
    await setMerchantKomojuKeys(prisma(), APP_SECRET, shopA.id, { secretKey: KOMOJU_SECRET_KEY, webhookSecret: KOMOJU_WEBHOOK_SECRET });
    const ownerA = await createInvite(prisma(), APP_SECRET, { merchantId: shopA.id, role: 'owner' });
    const ownerB = await createInvite(prisma(), APP_SECRET, { merchantId: shopB.id, role: 'owner' });
    issuedCodes.push(ownerA.code, ownerB.code);
    expect(await say('UownerA', `join ${ownerA.code}`)).toContain('Welcome to Shop A! You joined as Owner');
    expect(await say('UownerB', `join ${ownerB.code.toLowerCase().replace('-', '')}`)).toContain('Welcome to Shop B');
    const staffCode = await inviteCodeFromChat('UownerA');
    expect(await say('UstaffA', `join ${staffCode}`)).toContain('You joined as Staff');
  });
  afterAll(async () => {
    await harness?.stop();
    await database?.drop();
  });

  it('stores invite codes only as hashes', async () => {
    const invites = await prisma().invite.findMany();
    const stored = JSON.stringify(invites);
    for (const code of issuedCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
    expect(await roleOf('UownerA', shopA.id)).toBe('owner');
    expect(await roleOf('UstaffA', shopA.id)).toBe('staff');
    expect(await roleOf('UownerB', shopA.id)).toBeNull();
  });

  it('a user without an invite can only ask for help and join', async () => {
    expect(await say('Uguest', 'help')).toContain('invite code');
    for (const command of ['quick', 'create', 'links', 'summary Tea']) {
      expect(await say('Uguest', command)).toContain('not a member of a shop');
    }
    for (const action of ['shop', 'invite', 'members', 'shops', 'quick', 'links']) {
      expect(await tap('Uguest', action)).toContain('not a member of a shop');
    }
    expect(await tap('Uguest', 'switchShop', [shopA.id])).toContain('not a member of a shop');
    expect(await tap('Uguest', 'confirmRemoveMember', [shopA.id, 'UstaffA'])).toContain('not a member of a shop');
    expect(await prisma().member.count({ where: { userId: 'Uguest' } })).toBe(0);
    expect(await roleOf('UstaffA', shopA.id)).toBe('staff');
  });

  it('role matrix: only an owner issues invites', async () => {
    const invitesBefore = await prisma().invite.count();
    expect(await tap('UstaffA', 'invite')).toContain('Only an owner of Shop A');
    expect(await tap('Uguest', 'invite')).toContain('not a member');
    expect(await prisma().invite.count()).toBe(invitesBefore);
    // An owner of B inviting creates an invite for B, never for A.
    await inviteCodeFromChat('UownerB');
    const newest = await prisma().invite.findFirst({ orderBy: { createdAt: 'desc' } });
    expect(newest?.merchantId).toBe(shopB.id);
    expect(newest?.createdBy).toBe('UownerB');
  });

  it('an invite for a shop with the longest Japanese or Korean name still has a Share button LINE accepts', async () => {
    for (const [name, language] of [
      ['京都の小さな手作り陶器と季節の和菓子のお店'.repeat(4).slice(0, 80), 'ja'],
      ['서울의 작은 수제 도자기와 계절 떡 가게'.repeat(4).slice(0, 80), 'ko'],
    ] as const) {
      const shop = await createMerchant(prisma(), { name });
      expect(shop.name).toHaveLength(80);
      const owner = `Ulongname${language}`;
      harness.line.profiles.set(owner, { displayName: 'Long', language });
      await prisma().lineUser.create({ data: { id: owner, language, activeMerchantId: shop.id } });
      await prisma().member.create({ data: { merchantId: shop.id, userId: owner, role: 'owner' } });
      const refusedBefore = harness.line.refusals.length;
      const answer = await tap(owner, 'invite');
      const code = /([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})/.exec(answer)![1]!;
      expect(harness.line.refusals.length).toBe(refusedBefore);
      const card = harness.line.messagesTo(owner).at(-1)!.message;
      const share = JSON.stringify(card).match(/"uri":"(https:\/\/line\.me\/R\/share\?text=[^"]+)"/)![1]!;
      expect(share.length).toBeLessThanOrEqual(1000);
      // Too long with the shop's name: the Share button still carries the command to send.
      expect(decodeURIComponent(share.split('text=')[1]!)).toContain(code);
    }
  });

  it('role matrix: members lists only the own shop; removal only by its owner', async () => {
    const ownerView = await tap('UownerA', 'members');
    expect(ownerView).toContain('Members of Shop A');
    expect(ownerView).toContain('Remove staffA');
    expect(ownerView).not.toContain('ownerB');
    const staffView = await tap('UstaffA', 'members');
    expect(staffView).toContain('Members of Shop A');
    expect(staffView).not.toContain('Remove');
    // Args naming another shop do not change which shop is listed.
    expect(await tap('UownerB', 'members', [shopA.id])).toContain('Members of Shop B');

    expect(await tap('UstaffA', 'confirmRemoveMember', [shopA.id, 'UownerA'])).toContain('Only an owner of Shop A');
    expect(await tap('UownerB', 'confirmRemoveMember', [shopA.id, 'UstaffA'])).toContain('another shop');
    expect(await tap('UownerB', 'removeMember', [shopA.id, 'UstaffA'])).toContain('another shop');
    expect(await roleOf('UstaffA', shopA.id)).toBe('staff');
    expect(await roleOf('UownerA', shopA.id)).toBe('owner');
  });

  it('a tampered postback (signature not ours) is answered like unknown input and does nothing', async () => {
    const genuine = encodePostback({ action: 'confirmRemoveMember', args: [shopB.id, 'UownerB'], dialogId: null }, APP_SECRET);
    const forged = genuine.replace(shopB.id, shopA.id);
    const answer = await tap('UownerB', '', [], forged);
    expect(answer).toContain("didn't understand");
    const wrongKey = encodePostback({ action: 'confirmRemoveMember', args: [shopA.id, 'UstaffA'], dialogId: null }, 'not-the-app-secret-0123456789abcdef');
    expect(await tap('UownerB', '', [], wrongKey)).toContain("didn't understand");
    expect(await roleOf('UstaffA', shopA.id)).toBe('staff');
  });

  it('invites expire after 7 days and work once', async () => {
    const stale = await createInvite(prisma(), APP_SECRET, { merchantId: shopA.id, now: new Date(Date.now() - 7 * 24 * 3600_000 - 1000) });
    expect(await say('Ulate', `join ${stale.code}`)).toContain('expired');
    expect(await roleOf('Ulate', shopA.id)).toBeNull();

    const once = await createInvite(prisma(), APP_SECRET, { merchantId: shopA.id });
    expect(await say('Ulate', `join ${once.code}`)).toContain('Welcome to Shop A');
    expect(await say('Usecond', `join ${once.code}`)).toContain('already been used');
    expect(await roleOf('Usecond', shopA.id)).toBeNull();
    // A member sending an unused code of their own shop keeps it unused for someone else.
    const spare = await createInvite(prisma(), APP_SECRET, { merchantId: shopA.id });
    expect(await say('Ulate', `join ${spare.code}`)).toContain('already a member of Shop A');
    expect((await prisma().invite.findUnique({ where: { id: spare.inviteId } }))?.usedAt).toBeNull();
  });

  it(`stops join attempts after ${JOIN_ATTEMPTS.limit} failures an hour, even with a valid code`, async () => {
    const answers: string[] = [];
    for (let attempt = 0; attempt < JOIN_ATTEMPTS.limit; attempt++) answers.push(await say('Ubrute', `join ZZZZ-ZZZ${attempt + 2}`));
    expect(answers[0]).toContain('not valid');
    expect(answers[0]).toContain('4 more times');
    expect(answers[JOIN_ATTEMPTS.limit - 1]).toContain('last try');
    const valid = await createInvite(prisma(), APP_SECRET, { merchantId: shopB.id });
    expect(await say('Ubrute', `join ${valid.code}`)).toContain('Too many wrong codes');
    expect(await roleOf('Ubrute', shopB.id)).toBeNull();
    // The limit is per user: the same valid code still works for someone else.
    expect(await say('Usecond', `join ${valid.code}`)).toContain('Welcome to Shop B');
    // Malformed input never reaches the counter.
    expect(await say('Usecond', 'join hello')).toContain("doesn't look like an invite code");
  });

  it("invites and welcomes under the shop's display name once the profile set one", async () => {
    const shop = await createMerchant(prisma(), { name: 'Demo shop' });
    const owner = await createInvite(prisma(), APP_SECRET, { merchantId: shop.id, role: 'owner' });
    issuedCodes.push(owner.code);
    harness.line.profiles.set('Udisplay', { displayName: 'display', language: 'en' });
    harness.line.profiles.set('Udisplaystaff', { displayName: 'display staff', language: 'en' });
    expect(await say('Udisplay', `join ${owner.code}`)).toContain('Welcome to Demo shop');
    await prisma().merchant.update({ where: { id: shop.id }, data: { displayName: '京都抹茶堂' } });
    const invite = await tap('Udisplay', 'invite');
    expect(invite).toContain('Invite code for 京都抹茶堂');
    expect(invite).not.toContain('Demo shop');
    const code = await inviteCodeFromChat('Udisplay');
    expect(await say('Udisplaystaff', `join ${code}`)).toContain('Welcome to 京都抹茶堂!');
  });

  it('a member of several shops switches which one they work for', async () => {
    const code = await inviteCodeFromChat('UownerA');
    expect(await say('UownerB', `join ${code}`)).toContain('Welcome to Shop A');
    expect((await prisma().lineUser.findUnique({ where: { id: 'UownerB' } }))?.activeMerchantId).toBe(shopA.id);
    // Working for A as staff now: owner-only actions of A are refused.
    expect(await tap('UownerB', 'invite')).toContain('Only an owner of Shop A');
    const list = await tap('UownerB', 'shops');
    expect(list).toContain('working for Shop A');
    expect(list).toContain('Shop B');
    expect(await tap('UownerB', 'switchShop', [shopB.id])).toContain('now working for Shop B');
    expect((await prisma().lineUser.findUnique({ where: { id: 'UownerB' } }))?.activeMerchantId).toBe(shopB.id);
    expect(await tap('UownerB', 'invite')).toContain('Invite code for Shop B');
    // A signed switch naming a shop they are not in is refused by the database check.
    const shopC = await createMerchant(prisma(), { name: 'Shop C' });
    expect(await tap('UownerB', 'switchShop', [shopC.id])).toContain('not a member of that shop');
    expect((await prisma().lineUser.findUnique({ where: { id: 'UownerB' } }))?.activeMerchantId).toBe(shopB.id);
  });

  it('an owner removes a member, who loses access at once; owners cannot remove themselves', async () => {
    expect(await tap('UownerA', 'removeMember', [shopA.id, 'Ulate'])).toContain('Remove this member from Shop A?');
    expect(await tap('UownerA', 'confirmRemoveMember', [shopA.id, 'Ulate'])).toContain('no longer has access to Shop A');
    expect(await roleOf('Ulate', shopA.id)).toBeNull();
    expect(await tap('Ulate', 'members')).toContain('not a member of a shop');
    expect(await say('Ulate', 'quick')).toContain('not a member of a shop');
    expect(await tap('UownerA', 'confirmRemoveMember', [shopA.id, 'Ulate'])).toContain('no longer a member');
    expect(await tap('UownerA', 'confirmRemoveMember', [shopA.id, 'UownerA'])).toContain("can't remove yourself");
    expect(await roleOf('UownerA', shopA.id)).toBe('owner');
  });

  it('each member turns their own payment notices on and off, for the shop they work for', async () => {
    expect(await tap('UstaffA', 'notices')).toContain('Payment notices for Shop A are on');
    expect(await tap('UstaffA', 'notices', ['off'])).toContain('Saved.');
    const notices = async (userId: string) => (await prisma().member.findUnique({ where: { merchantId_userId: { merchantId: shopA.id, userId } } }))?.notices;
    expect(await notices('UstaffA')).toBe(false);
    expect(await notices('UownerA')).toBe(true);
    expect(await tap('UstaffA', 'notices')).toContain('are off');
    expect(await tap('UstaffA', 'notices', ['on'])).toContain('are on');
    expect(await notices('UstaffA')).toBe(true);
    expect(await tap('Uguest', 'notices', ['off'])).toContain('not a member of a shop');
  });

  it('never puts KOMOJU keys, the app secret or invite codes in logs, nor secrets in replies', async () => {
    const logs = harness.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [KOMOJU_SECRET_KEY, KOMOJU_WEBHOOK_SECRET, APP_SECRET, ...issuedCodes, ...issuedCodes.map((code) => code.replace('-', ''))]) {
      expect(logs).not.toContain(secret);
    }
    const replies = JSON.stringify(harness.line.messages);
    for (const secret of [KOMOJU_SECRET_KEY, KOMOJU_WEBHOOK_SECRET, APP_SECRET]) expect(replies).not.toContain(secret);
    const merchant = await prisma().merchant.findUnique({ where: { id: shopA.id } });
    expect(JSON.stringify(merchant)).not.toContain('do_not_leak');
  });
});
