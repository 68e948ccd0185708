import type { Machine } from '../conversation/machine.js';

export const salesFeature: Machine = { dialogs: {}, commands: {}, actions: {}, results: {} };
