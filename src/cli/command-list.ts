import type { AdminCommand } from './commands.js';
import { lineCommands } from './line-commands.js';
import { merchantCommands } from './merchant-commands.js';
import { paymentCommands } from './payment-commands.js';
import { paymentListCommand } from './payment-list-command.js';
import { reconcileCommand } from './reconcile-command.js';
import { summaryCommand } from './summary-command.js';
import { subscriptionCommands } from './subscription-commands.js';
import { discountCommands } from './discount-commands.js';

export const adminCommands: AdminCommand[] = [
  ...merchantCommands,
  ...lineCommands,
  summaryCommand,
  paymentListCommand,
  ...paymentCommands,
  reconcileCommand,
  ...subscriptionCommands,
  ...discountCommands,
];
