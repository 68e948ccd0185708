// `export` (and the summary card's Export CSV button): a signed link, valid 24 hours, to a CSV of a
// link's payments or, with no name, of the whole shop's. Owner only: the file holds buyers' emails.
import type { MatchedCommand } from '../conversation/commands.js';
import { commandButton, reply, text, type Capability } from '../conversation/machine.js';
import type { Context, Step } from '../conversation/types.js';
import { formatDateTime } from '../i18n/format.js';
import type { ExportEffect } from './effects.js';

const EXPORT_ACTION = 'exports.link';

function exportStep(ctx: Context, scope: Pick<ExportEffect, 'linkId' | 'name'>): Step {
  if (!ctx.membership) return reply(text(ctx.t('auth.notMember')));
  if (ctx.membership.role !== 'owner') return reply(text(ctx.t('exports:refused.notOwner')));
  return { state: null, replies: [], effect: { type: 'exports.create', merchantId: ctx.membership.merchantId, ...scope } };
}

function exportCommand(command: MatchedCommand, ctx: Context): Step {
  const name = command.argument.trim();
  return exportStep(ctx, { linkId: null, name: name === '' ? null : name });
}

export const exportChat: Capability = {
  commands: {
    export: { words: ['export', 'csv', 'エクスポート', 'CSV出力', '내보내기', 'CSV내보내기'], run: exportCommand },
  },
  actions: {
    [EXPORT_ACTION]: ([linkId], ctx) => exportStep(ctx, { linkId: linkId ?? null, name: null }),
  },
  results: {
    'exports.ready': (result, ctx) => {
      const until = formatDateTime(result.expiresAt, ctx.language);
      const body =
        result.productName === null
          ? ctx.t('exports:ready.shop', { rows: result.rows, until, url: result.url })
          : ctx.t('exports:ready.link', { product: result.productName, rows: result.rows, until, url: result.url });
      return reply(text(body, [{ label: ctx.t('exports:buttons.download'), action: { type: 'url', url: result.url } }, commandButton(ctx.t('sales:buttons.links'), 'links')]));
    },
    'exports.refused': (result, ctx) =>
      reply(
        text(result.reason === 'notFound' && result.name ? ctx.t('exports:refused.noSuchName', { query: result.name }) : ctx.t(`exports:refused.${result.reason}`), [
          commandButton(ctx.t('sales:buttons.links'), 'links'),
        ]),
      ),
  },
};
