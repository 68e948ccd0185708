-- Who pressed Pay (a keyed hash of the client's address, never the address itself), so one client
-- holds at most one place of a usage-limited link; and when the provider was last asked about the
-- checkout, so the return page does not call it on every hit.
ALTER TABLE "Checkout" ADD COLUMN "clientKey" TEXT;
ALTER TABLE "Checkout" ADD COLUMN "providerCheckedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Checkout_linkId_clientKey_idx" ON "Checkout"("linkId", "clientKey");
