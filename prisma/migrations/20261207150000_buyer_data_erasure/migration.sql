-- Issue 24: the retention job reduces a stored KOMOJU event past the retention period to the
-- fields that hold no buyer data (payments/buyer-data-retention.ts) and says when, so the next run
-- skips it.
ALTER TABLE "ProviderEvent" ADD COLUMN "buyerDataErasedAt" TIMESTAMPTZ(3);
