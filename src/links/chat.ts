import { commandButton, reply, type Capability } from '../conversation/machine.js';
import { issuedLinkReplies } from './link-card.js';
import { understandLinkText } from './link-offers.js';
import { CREATE_DIALOG, createLinkDialog, startCreateLink } from './dialogs/create-link-dialog.js';
import { EDIT_MENU, EDIT_VALUE, editMenuDialog, editValueDialog, updatedReply } from './dialogs/edit-link-dialog.js';
import { duplicateReplies } from './dialogs/link-dialog-engine.js';
import { QUICK_DIALOG, quickLinkDialog, startQuickLink } from './dialogs/quick-link-dialog.js';

/** Quick Payment Link and standard Create, in chat, and editing an issued link (started from its card). */
export const linkChat: Capability = {
  dialogs: { [QUICK_DIALOG]: quickLinkDialog, [CREATE_DIALOG]: createLinkDialog, [EDIT_MENU]: editMenuDialog, [EDIT_VALUE]: editValueDialog },
  commands: {
    quick: { words: ['quick', 'クイック', 'かんたん', '퀵', '빠른링크'], run: startQuickLink },
    create: { words: ['create', '作成', '新規作成', '만들기', '생성'], run: startCreateLink },
  },
  // The same two as buttons (help, rich menu, "make a new link" offers); args may carry an amount.
  actions: {
    quick: (args, ctx) => startQuickLink({ command: 'quick', argument: args.join(' ') }, ctx),
    create: (args, ctx) => startCreateLink({ command: 'create', argument: args.join(' ') }, ctx),
  },
  helpButtons: (ctx) => [commandButton(ctx.t('buttons.quick'), 'quick'), commandButton(ctx.t('buttons.create'), 'create')],
  // "make a link", "リンク作りたい", "링크 만들기", a bare "1500": offered as Quick / Create.
  understand: understandLinkText,
  // Outcomes that arrive after their dialog ended (it expired while the effect ran).
  results: {
    'links.created': (result, ctx) => reply(...issuedLinkReplies(result.link, ctx)),
    'links.duplicate': (result, ctx) => reply(...duplicateReplies(result.existing, ctx)),
    // A change whose edit dialog timed out while it was being saved: still say what happened.
    'links.updated': (result, ctx) => reply(updatedReply(result.field, result.link, ctx)),
  },
};
