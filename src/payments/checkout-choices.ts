// What a buyer chose in a checkout, as the merchant's notice and the link's transactions show it
// beside the amount paid: "Amount chosen by the buyer: ¥2,000", "Code SPRING10: −¥300",
// "Tip: ¥200". Pure.
import { formatStoredPrice } from '../i18n/format.js';
import type { Language } from '../i18n/i18n.js';

/** Stored on the Checkout (plain JSON in views); absent or zero parts were not chosen. */
export interface CheckoutChoices {
  /** The unit amount the buyer chose on a buyer-chosen link. */
  chosenAmount?: number;
  discountCode?: string;
  discountAmount?: number;
  tipAmount?: number;
}

export interface ChoiceLabels {
  chosenAmount: (amount: string) => string;
  discount: (code: string, amount: string) => string;
  tip: (amount: string) => string;
}

/** The checkout's columns as choices (null when it chose nothing). */
export function readCheckoutChoices(
  row: { chosenAmount: number | null; discountCode: string | null; discountAmount: number | null; tipAmount: number | null } | null | undefined,
): CheckoutChoices | null {
  if (!row) return null;
  const choices: CheckoutChoices = {};
  if (row.chosenAmount !== null) choices.chosenAmount = row.chosenAmount;
  if (row.discountCode !== null && (row.discountAmount ?? 0) > 0) {
    choices.discountCode = row.discountCode;
    choices.discountAmount = row.discountAmount ?? 0;
  }
  if ((row.tipAmount ?? 0) > 0) choices.tipAmount = row.tipAmount ?? 0;
  return Object.keys(choices).length > 0 ? choices : null;
}

export function choiceLines(choices: CheckoutChoices, currency: string, language: Language, labels: ChoiceLabels): string[] {
  const format = (amount: number) => formatStoredPrice(amount, currency, language);
  const lines: string[] = [];
  if (choices.chosenAmount !== undefined) lines.push(labels.chosenAmount(format(choices.chosenAmount)));
  if (choices.discountCode !== undefined && choices.discountAmount !== undefined) lines.push(labels.discount(choices.discountCode, format(choices.discountAmount)));
  if (choices.tipAmount !== undefined) lines.push(labels.tip(format(choices.tipAmount)));
  return lines;
}
