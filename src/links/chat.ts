import { commandButton, reply, type Capability } from '../conversation/machine.js';
import { issuedLinkReplies } from './link-card.js';
import { understandLinkText } from './link-offers.js';
import { CREATE_DIALOG, QUICK_DIALOG, createLinkDialog, duplicateReplies, quickLinkDialog, startLinkDialog } from './dialogs/link-dialog.js';

/** Quick Payment Link and standard Create, in chat. */
export const linkChat: Capability = {
  dialogs: { [QUICK_DIALOG]: quickLinkDialog, [CREATE_DIALOG]: createLinkDialog },
  commands: {
    quick: { words: ['quick', 'クイック', 'かんたん', '퀵', '빠른링크'], run: (command, ctx) => startLinkDialog('quick', command, ctx) },
    create: { words: ['create', '作成', '新規作成', '만들기', '생성'], run: (command, ctx) => startLinkDialog('create', command, ctx) },
  },
  // The same two as buttons (help, rich menu, "make a new link" offers); args may carry an amount.
  actions: {
    quick: (args, ctx) => startLinkDialog('quick', { command: 'quick', argument: args.join(' ') }, ctx),
    create: (args, ctx) => startLinkDialog('create', { command: 'create', argument: args.join(' ') }, ctx),
  },
  helpButtons: (ctx) => [commandButton(ctx.t('buttons.quick'), 'quick'), commandButton(ctx.t('buttons.create'), 'create')],
  // "make a link", "リンク作りたい", "링크 만들기", a bare "1500": offered as Quick / Create.
  understand: understandLinkText,
  // Outcomes that arrive after their dialog ended (it expired while the effect ran).
  results: {
    'links.created': (result, ctx) => reply(...issuedLinkReplies(result.link, ctx)),
    'links.duplicate': (result, ctx) => reply(...duplicateReplies(result.existing, ctx)),
  },
};
