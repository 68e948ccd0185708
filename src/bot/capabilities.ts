import { assembleMachine, type Machine } from '../conversation/machine.js';
import { linkChat } from '../links/chat.js';
import { merchantChat } from '../merchants/chat.js';
import { exportChat } from '../exports/chat.js';
import { refundChat } from '../refunds/chat.js';
import { salesChat } from '../sales/chat.js';
import { shopProfileChat } from '../shop-profile/chat.js';
import { subscriptionChat } from '../subscriptions/chat.js';
import { discountChat } from '../discounts/chat.js';

/** The bot's capabilities' dialogs, commands, button actions and result handlers, merged (in this order for help's buttons). */
export function createMachine(): Machine {
  return assembleMachine([linkChat, salesChat, merchantChat, shopProfileChat, refundChat, subscriptionChat, exportChat, discountChat]);
}
