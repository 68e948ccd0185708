-- Subscription links: a link billed every week / month / year through the provider's
-- subscriptions (card only); null keeps one-time payments.
ALTER TABLE "Link" ADD COLUMN "billingInterval" TEXT;
-- The provider's customer a subscription checkout saves the buyer's card to.
ALTER TABLE "Checkout" ADD COLUMN "customerId" TEXT;
CREATE UNIQUE INDEX "Checkout_customerId_key" ON "Checkout"("customerId");
-- A payment of a subscription (its first one or a renewal).
ALTER TABLE "Payment" ADD COLUMN "subscriptionId" TEXT;
CREATE INDEX "Payment_subscriptionId_idx" ON "Payment"("subscriptionId");

-- One per checkout (the unique checkoutId is the claim that makes a racing return page and
-- webhook create one subscription at the provider).
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerSubscriptionId" TEXT,
    "linkId" TEXT NOT NULL,
    "checkoutId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "nextPaymentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Subscription_providerSubscriptionId_key" ON "Subscription"("providerSubscriptionId");
CREATE UNIQUE INDEX "Subscription_checkoutId_key" ON "Subscription"("checkoutId");
CREATE INDEX "Subscription_linkId_createdAt_idx" ON "Subscription"("linkId", "createdAt");
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "Link"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_checkoutId_fkey" FOREIGN KEY ("checkoutId") REFERENCES "Checkout"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The sandbox's customer-mode sessions and subscriptions (stand-ins for KOMOJU's).
ALTER TABLE "SandboxSession" ADD COLUMN "mode" TEXT NOT NULL DEFAULT 'payment';
ALTER TABLE "SandboxSession" ADD COLUMN "customerId" TEXT;
ALTER TABLE "SandboxPayment" ALTER COLUMN "sessionId" DROP NOT NULL;
ALTER TABLE "SandboxPayment" ADD COLUMN "subscriptionId" TEXT;
ALTER TABLE "SandboxPayment" ADD COLUMN "customerId" TEXT;
CREATE INDEX "SandboxPayment_subscriptionId_idx" ON "SandboxPayment"("subscriptionId");
CREATE TABLE "SandboxSubscription" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "metadata" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SandboxSubscription_pkey" PRIMARY KEY ("id")
);
