import type { AdminCommand } from './commands.js';

export const adminCommands: AdminCommand[] = [];
