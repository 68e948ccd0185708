-- Issue 24: who reads buyers' details (name, phone, email, address, answer) is the owner's
-- decision: owners always; staff only when an owner allows it (merchants/buyer-details-access.ts).
ALTER TABLE "Merchant" ADD COLUMN "staffSeeBuyerDetails" BOOLEAN NOT NULL DEFAULT false;
