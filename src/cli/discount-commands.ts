// `discount:create` and `discount:list`: a shop's discount codes for operators, the same rules as
// the owner's `codes` chat (discounts/create-code.ts).
import { createDiscountCode } from '../discounts/create-code.js';
import { parseDiscountOff, type DiscountOff } from '../discounts/discount-rule.js';
import { listDiscountCodes, type DiscountCodeView } from '../discounts/list-codes.js';
import { isSupportedCurrency } from '../i18n/currency.js';
import { CliError, requireDb, requireFlag, type AdminCommand, type CliContext } from './commands.js';

const NOT_FOUND = 3;

function wholeNumber(context: CliContext, name: string): number | null {
  const value = context.flags.get(name);
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value.trim())) throw new CliError(`--${name} must be a whole number from 1`, 2);
  return Number(value.trim());
}

/** --percent N, or --amount N (smallest unit) with --currency (default: the links' own, else JPY). */
function offFlags(context: CliContext, linkCurrency: string | null): DiscountOff {
  const percent = context.flags.get('percent');
  const amount = context.flags.get('amount');
  if ((percent === undefined) === (amount === undefined)) throw new CliError('give exactly one of --percent N and --amount N', 2);
  if (percent !== undefined) {
    const parsed = parseDiscountOff(`${typeof percent === 'string' ? percent.trim() : ''}%`);
    if (!parsed.ok) throw new CliError('--percent must be a whole number from 1 to 99', 2);
    return parsed.off;
  }
  const currencyFlag = context.flags.get('currency');
  const currency = typeof currencyFlag === 'string' ? currencyFlag.trim().toUpperCase() : (linkCurrency ?? 'JPY');
  if (!isSupportedCurrency(currency)) throw new CliError(`--currency ${currency} is not supported`, 2);
  const value = wholeNumber(context, 'amount');
  if (value === null) throw new CliError('--amount must be a whole number (smallest unit) from 1', 2);
  return { kind: 'amount', amount: value, currency };
}

function expiresFlag(context: CliContext): Date | null {
  const value = context.flags.get('expires');
  if (value === undefined) return null;
  const date = typeof value === 'string' ? new Date(value.trim()) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new CliError('--expires must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:59+09:00', 2);
  return date;
}

function codeJson(code: DiscountCodeView): Record<string, unknown> {
  return {
    codeId: code.id,
    code: code.code,
    ...(code.off?.kind === 'percent' ? { percentOff: code.off.percent } : {}),
    ...(code.off?.kind === 'amount' ? { amountOff: code.off.amount, currency: code.off.currency } : {}),
    expiresAt: code.expiresAt,
    usageCap: code.usageCap,
    uses: code.uses,
    active: code.active,
    links: code.links.map((link) => link.slug),
    createdAt: code.createdAt,
  };
}

function codeLine(code: DiscountCodeView): string {
  const off = code.off?.kind === 'percent' ? `${code.off.percent}% off` : code.off ? `${code.off.amount} ${code.off.currency} off` : '?';
  const uses = code.usageCap === null ? `${code.uses} uses` : `${code.uses}/${code.usageCap} uses`;
  const links = code.links.length === 0 ? 'all links' : code.links.map((link) => link.slug).join(',');
  return `${code.code}  ${off}  ${uses}  ${code.expiresAt ? `until ${code.expiresAt}` : 'no expiry'}  ${links}  ${code.active ? 'active' : 'stopped'}  (${code.id})`;
}

const discountCreate: AdminCommand = {
  name: 'discount:create',
  usage: 'discount:create --merchant ID --code CODE (--percent N | --amount N [--currency C]) [--expires ISO] [--cap N] [--link SLUG[,SLUG…]]',
  summary: "a shop's discount code (percent or amount off, optional expiry, cap and links)",
  async run(context) {
    const merchantId = requireFlag(context, 'merchant');
    const code = requireFlag(context, 'code');
    const linkFlag = context.flags.get('link');
    const slugs =
      typeof linkFlag === 'string'
        ? linkFlag
            .split(',')
            .map((slug) => slug.trim())
            .filter(Boolean)
        : [];
    if (linkFlag === true) throw new CliError('missing --link <slug>', 2);
    const { prisma } = requireDb(context);
    const merchant = await prisma.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
    if (!merchant) throw new CliError(`no merchant "${merchantId}" (merchant:list shows the ids)`, NOT_FOUND);
    const links = await prisma.link.findMany({ where: { merchantId, slug: { in: slugs } }, select: { id: true, slug: true, currency: true } });
    const missing = slugs.find((slug) => !links.some((link) => link.slug === slug));
    if (missing) throw new CliError(`no link "${missing}" in this shop`, NOT_FOUND);
    const outcome = await createDiscountCode(prisma, {
      merchantId,
      code,
      off: offFlags(context, links[0]?.currency ?? null),
      expiresAt: expiresFlag(context),
      usageCap: wholeNumber(context, 'cap'),
      linkIds: links.map((link) => link.id),
    });
    if (outcome.kind === 'duplicate') throw new CliError(`this shop already has the code ${outcome.existing.code}`, 2);
    if (outcome.kind === 'unknown_link') throw new CliError(`no link "${outcome.linkId}" in this shop`, NOT_FOUND);
    if (outcome.kind === 'currency_mismatch') throw new CliError('an amount off must be in the currency of every link it is for', 2);
    if (outcome.kind === 'invalid') throw new CliError(outcome.reason, 2);
    const [view] = await listDiscountCodes(prisma, merchantId, new Date(), { id: outcome.code.id });
    if (!view) throw new CliError('the code was created but could not be read back');
    return { json: codeJson(view), text: `created: ${codeLine(view)}` };
  },
};

const discountList: AdminCommand = {
  name: 'discount:list',
  usage: 'discount:list --merchant ID',
  summary: "a shop's discount codes with their uses, newest first",
  async run(context) {
    const merchantId = requireFlag(context, 'merchant');
    const { prisma } = requireDb(context);
    const merchant = await prisma.merchant.findUnique({ where: { id: merchantId }, select: { name: true } });
    if (!merchant) throw new CliError(`no merchant "${merchantId}" (merchant:list shows the ids)`, NOT_FOUND);
    const codes = await listDiscountCodes(prisma, merchantId);
    return {
      json: { merchantId, codes: codes.map(codeJson) },
      text: codes.length === 0 ? `${merchant.name}: no discount codes` : [`${merchant.name}: ${codes.length} code(s)`, ...codes.map(codeLine)].join('\n'),
    };
  },
};

export const discountCommands: AdminCommand[] = [discountCreate, discountList];
