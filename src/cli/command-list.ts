import type { AdminCommand } from './commands.js';
import { paymentCommands } from './payment-commands.js';
import { summaryCommand } from './summary-command.js';

export const adminCommands: AdminCommand[] = [summaryCommand, ...paymentCommands];
