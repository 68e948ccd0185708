-- What a link asks the buyer before Pay (name, phone, email, shipping address, one question of the
-- merchant's), and the answers, kept with the checkout until the operator's retention period ends
-- (BUYER_DATA_RETENTION_DAYS); then they are erased and buyerDetailsErasedAt says when.
ALTER TABLE "Link" ADD COLUMN "buyerFields" JSONB;
ALTER TABLE "Checkout" ADD COLUMN "buyerDetails" JSONB;
ALTER TABLE "Checkout" ADD COLUMN "buyerDetailsErasedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Checkout_createdAt_idx" ON "Checkout"("createdAt");
