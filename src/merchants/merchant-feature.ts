import type { Machine } from '../conversation/machine.js';

export const merchantFeature: Machine = { dialogs: {}, commands: {}, actions: {}, results: {} };
