import { AuthorizationError } from '../merchants/authorization.js';
import { createInvite } from '../merchants/create-invite.js';
import { createMerchant, merchantNameSchema } from '../merchants/create-merchant.js';
import { findMerchant, UnknownMerchantError } from '../merchants/find-merchant.js';
import { clearMerchantKomojuKeys, isTestSecretKey, setMerchantKomojuKeys } from '../merchants/komoju-keys.js';
import { CliError, requireDb, requireFlag, type AdminCommand, type CliContext } from './commands.js';
import { readSecretLines } from './read-secret-lines.js';

const NOT_FOUND = 3;

function roleFlag(context: CliContext): 'owner' | 'staff' {
  const role = context.flags.get('role');
  if (role === undefined) return 'staff';
  if (role === 'owner' || role === 'staff') return role;
  throw new CliError('--role must be owner or staff', 2);
}

/** Domain errors as CLI errors a person can act on. */
async function asCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnknownMerchantError) throw new CliError(`${error.message} (merchant:list shows the ids)`, NOT_FOUND);
    if (error instanceof AuthorizationError) throw new CliError(error.message);
    throw error;
  }
}

const merchantCreate: AdminCommand = {
  name: 'merchant:create',
  usage: 'merchant:create --name NAME',
  summary: 'new merchant and an owner invite code for its first member',
  async run(context) {
    const parsedName = merchantNameSchema.safeParse(requireFlag(context, 'name'));
    if (!parsedName.success) throw new CliError(`--name: ${parsedName.error.issues[0]?.message ?? 'invalid'}`, 2);
    const { prisma } = requireDb(context);
    const merchant = await createMerchant(prisma, { name: parsedName.data });
    const invite = await createInvite(prisma, context.config.appSecret, { merchantId: merchant.id, role: 'owner' });
    return {
      json: { merchantId: merchant.id, name: merchant.name, inviteCode: invite.code, role: invite.role, expiresAt: invite.expiresAt.toISOString() },
      text: [
        `merchant ${merchant.name} created: ${merchant.id}`,
        `owner invite code: ${invite.code} (single use, expires ${invite.expiresAt.toISOString()})`,
        `the owner sends "join ${invite.code}" to the bot in LINE`,
      ].join('\n'),
    };
  },
};

const invite: AdminCommand = {
  name: 'invite',
  usage: 'invite --merchant ID [--role staff|owner]',
  summary: 'new single-use invite code (expires in 7 days)',
  async run(context) {
    const merchantId = requireFlag(context, 'merchant');
    const role = roleFlag(context);
    const { prisma } = requireDb(context);
    const created = await asCliErrors(() => createInvite(prisma, context.config.appSecret, { merchantId, role }));
    return {
      json: { inviteCode: created.code, expiresAt: created.expiresAt.toISOString(), merchantId, role: created.role },
      text: `invite code for ${created.merchantName} (${created.role}): ${created.code}\nsingle use, expires ${created.expiresAt.toISOString()}; send "join ${created.code}" to the bot`,
    };
  },
};

const merchantList: AdminCommand = {
  name: 'merchant:list',
  usage: 'merchant:list',
  summary: 'merchants with member counts and whether they use their own KOMOJU account',
  async run(context) {
    const { prisma } = requireDb(context);
    const merchants = await prisma.merchant.findMany({
      orderBy: { createdAt: 'asc' },
      select: { id: true, name: true, komojuSecretKeyEnc: true, createdAt: true, _count: { select: { members: true } } },
    });
    const rows = merchants.map((merchant) => ({
      merchantId: merchant.id,
      name: merchant.name,
      members: merchant._count.members,
      ownKomojuKeys: merchant.komojuSecretKeyEnc !== null,
      createdAt: merchant.createdAt.toISOString(),
    }));
    return {
      json: { merchants: rows },
      text:
        rows.length === 0
          ? 'no merchants yet (merchant:create --name N)'
          : rows.map((row) => `${row.merchantId}  ${row.name}  members: ${row.members}  KOMOJU: ${row.ownKomojuKeys ? 'own keys' : 'default'}`).join('\n'),
    };
  },
};

const KOMOJU_PROMPTS = ['KOMOJU secret key: ', 'KOMOJU webhook secret: '];

const komojuSet: AdminCommand = {
  name: 'komoju:set',
  stdinPrompts: KOMOJU_PROMPTS,
  usage: 'komoju:set --merchant ID  < two lines',
  summary: "stores a merchant's KOMOJU secret key and webhook secret (stdin lines 1, 2), encrypted",
  async run(context) {
    for (const leaked of ['secret-key', 'secretKey', 'webhook-secret', 'webhookSecret', 'key', 'secret']) {
      if (context.flags.has(leaked)) throw new CliError(`do not pass keys as arguments (--${leaked}); pipe them on stdin: secret key on line 1, webhook secret on line 2`, 2);
    }
    const merchantId = requireFlag(context, 'merchant');
    const { prisma } = requireDb(context);
    await asCliErrors(() => findMerchant(prisma, merchantId));
    let lines: string[];
    try {
      lines = await readSecretLines(context.stdin, KOMOJU_PROMPTS);
    } catch {
      throw new CliError('cancelled; nothing stored');
    }
    const [secretKey, webhookSecret] = lines;
    if (!secretKey || !webhookSecret) throw new CliError('expected two lines on stdin: the KOMOJU secret key, then the webhook secret; nothing stored', 2);
    if (/^pk_/.test(secretKey)) throw new CliError('line 1 looks like a publishable key (pk_…); KOMOJU needs the secret key here; nothing stored', 2);
    if (/\s/.test(secretKey) || /\s/.test(webhookSecret)) throw new CliError('keys cannot contain spaces; nothing stored', 2);
    if (secretKey === webhookSecret) throw new CliError('the secret key and the webhook secret are the same; check line 2; nothing stored', 2);
    await asCliErrors(() => setMerchantKomojuKeys(prisma, context.config.appSecret, merchantId, { secretKey, webhookSecret }));
    const mode = isTestSecretKey(secretKey) ? 'test' : 'live';
    const webhookUrl = `${context.config.publicBaseUrl}/webhooks/komoju/merchants/${encodeURIComponent(merchantId)}`;
    return {
      json: { merchantId, stored: true, mode, webhookUrl },
      text: `stored encrypted KOMOJU keys for ${merchantId} (${mode} key); its links now use this KOMOJU account.\nIn that account's KOMOJU dashboard, register the webhook ${webhookUrl} with the same webhook secret.`,
    };
  },
};

const komojuClear: AdminCommand = {
  name: 'komoju:clear',
  usage: 'komoju:clear --merchant ID',
  summary: "removes a merchant's own KOMOJU keys (back to the default account)",
  async run(context) {
    const merchantId = requireFlag(context, 'merchant');
    const { prisma } = requireDb(context);
    await asCliErrors(() => clearMerchantKomojuKeys(prisma, merchantId));
    return { json: { merchantId, stored: false }, text: `${merchantId} now uses the default KOMOJU account` };
  },
};

export const merchantCommands: AdminCommand[] = [merchantCreate, invite, merchantList, komojuSet, komojuClear];
