import { linkFeature } from '../links/chat.js';
import { merchantFeature } from '../merchants/chat.js';
import { salesFeature } from '../sales/chat.js';
import type { Machine } from '../conversation/machine.js';

/** The bot's dialogs, commands, button actions and result handlers, merged from the features. */
export function createMachine(): Machine {
  const features: Machine[] = [linkFeature, merchantFeature, salesFeature];
  return {
    dialogs: Object.assign({}, ...features.map((feature) => feature.dialogs)),
    commands: Object.assign({}, ...features.map((feature) => feature.commands)),
    actions: Object.assign({}, ...features.map((feature) => feature.actions)),
    results: Object.assign({}, ...features.map((feature) => feature.results)),
    words: Object.assign({}, ...features.map((feature) => feature.words ?? {})),
  };
}
