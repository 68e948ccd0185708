-- Issue 21: a refund, cancel or bank refund request asked of the provider is recorded before the
-- call, under the idempotency key it is sent with (derived only from what the merchant confirmed).
-- A retry of the same confirmation (a crash, a redelivered event) finds it and reads the provider
-- to learn what the first call did instead of asking again under a new key; a call whose answer
-- was lost (a timeout) stays `unknown` until a read decides. `knownBefore` lists the provider's
-- refund (or refund request) ids before the call: a new one of `amount` is ours.
CREATE TABLE "MoneyBackAttempt" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "merchantId" TEXT,
    "requestedBy" TEXT,
    "amount" INTEGER,
    "knownBefore" JSONB NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'sending',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    CONSTRAINT "MoneyBackAttempt_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "MoneyBackAttempt_paymentId_idx" ON "MoneyBackAttempt"("paymentId");
