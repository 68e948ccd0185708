import type { Machine } from '../conversation/machine.js';

export const linkFeature: Machine = { dialogs: {}, commands: {}, actions: {}, results: {} };
