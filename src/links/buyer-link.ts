// A link as its buyer pages read it: every column but its QR code's PNG, which no buyer page shows
// (payments/link-page-state.ts reads it in plain SQL, with the shop and the link's live state).
import { Prisma, type Link } from '../generated/prisma/client.js';

export type BuyerLink = Omit<Link, 'qrPng'>;

/**
 * BuyerLink's columns of a "Link" aliased lk (not l: the ledger's subqueries that may read beside
 * it use l themselves), from the schema's own list, so a new column comes along.
 */
export const BUYER_LINK_COLUMNS: Prisma.Sql = Prisma.raw(
  Object.values(Prisma.LinkScalarFieldEnum)
    .filter((column) => column !== 'qrPng')
    .map((column) => `lk."${column}"`)
    .join(', '),
);
