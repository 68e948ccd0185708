-- What KOMOJU says about a payment beyond its amount: tax, the payment-method fee and the total
-- the buyer paid (what a refund may reach), the method (konbini and bank payments are refunded by
-- request), the deadline of one awaiting payment, and a fraud mark.
ALTER TABLE "Payment" ADD COLUMN "tax" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Payment" ADD COLUMN "paymentMethodFee" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Payment" ADD COLUMN "total" INTEGER;
ALTER TABLE "Payment" ADD COLUMN "paymentMethod" TEXT;
ALTER TABLE "Payment" ADD COLUMN "paymentDeadline" TIMESTAMPTZ(3);
ALTER TABLE "Payment" ADD COLUMN "fraud" BOOLEAN NOT NULL DEFAULT false;
-- The buyer's email when the provider gave one: only the owner's CSV export shows it.
ALTER TABLE "Payment" ADD COLUMN "buyerEmail" TEXT;

-- Told once: the payment awaits payment (konbini, bank transfer), then that it expired unpaid.
ALTER TABLE "Payment" ADD COLUMN "awaitingNoticeSentAt" TIMESTAMPTZ(3);
ALTER TABLE "Payment" ADD COLUMN "expiredNoticeSentAt" TIMESTAMPTZ(3);

-- The sandbox's "pay later (konbini)": an authorized payment with a deadline, captured later.
ALTER TABLE "SandboxPayment" ADD COLUMN "paymentMethod" TEXT NOT NULL DEFAULT 'sandbox';
ALTER TABLE "SandboxPayment" ADD COLUMN "paymentDeadline" TIMESTAMPTZ(3);
ALTER TABLE "SandboxPayment" ADD COLUMN "capturedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "RefundRequest" (
    "id" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "includePaymentMethodFee" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RefundRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_idempotencyKey_key" ON "RefundRequest"("idempotencyKey");

-- CreateIndex
CREATE INDEX "RefundRequest_paymentId_idx" ON "RefundRequest"("paymentId");

-- AddForeignKey
ALTER TABLE "RefundRequest" ADD CONSTRAINT "RefundRequest_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
