import type { Machine } from './machine.js';

/** The bot's dialogs, commands and button actions, assembled from the feature modules. */
export function createMachine(): Machine {
  return { dialogs: {}, commands: {}, actions: {} };
}
