import { reply, type Machine } from '../conversation/machine.js';
import type { LinkEffectResult } from './perform-effects.js';
import { issuedLinkReplies } from './link-card.js';
import { CREATE_DIALOG, QUICK_DIALOG, createLinkDialog, duplicateReplies, quickLinkDialog, startLinkDialog } from './dialogs/link-dialog.js';

/** Quick Payment Link and standard Create, in chat. */
export const linkFeature: Machine = {
  dialogs: { [QUICK_DIALOG]: quickLinkDialog, [CREATE_DIALOG]: createLinkDialog },
  commands: {
    quick: (command, ctx) => startLinkDialog('quick', command, ctx),
    create: (command, ctx) => startLinkDialog('create', command, ctx),
  },
  // The same two as buttons (help, rich menu, "make a new link" offers); args may carry an amount.
  actions: {
    quick: (args, ctx) => startLinkDialog('quick', { command: 'quick', argument: args.join(' ') }, ctx),
    create: (args, ctx) => startLinkDialog('create', { command: 'create', argument: args.join(' ') }, ctx),
  },
  // Outcomes that arrive after their dialog ended (it expired while the effect ran).
  results: {
    'links.created': (result, ctx) => reply(...issuedLinkReplies((result as Extract<LinkEffectResult, { type: 'links.created' }>).link, ctx)),
    'links.duplicate': (result, ctx) => reply(...duplicateReplies((result as Extract<LinkEffectResult, { type: 'links.duplicate' }>).existing, ctx)),
  },
};
