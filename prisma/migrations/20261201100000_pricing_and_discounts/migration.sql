-- Issue 15, parts 1 and 2: a link's price chosen by the buyer (a range and preset amounts), tips,
-- and the shop's discount codes; a checkout keeps what the buyer chose so the merchant sees it.
ALTER TABLE "Link" ADD COLUMN "priceMode" TEXT NOT NULL DEFAULT 'fixed',
                   ADD COLUMN "amountMin" INTEGER,
                   ADD COLUMN "amountMax" INTEGER,
                   ADD COLUMN "amountPresets" JSONB,
                   ADD COLUMN "tipOptions" JSONB;

CREATE TABLE "DiscountCode" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "codeKey" TEXT NOT NULL,
    "percentOff" INTEGER,
    "amountOff" INTEGER,
    "currency" TEXT,
    "expiresAt" TIMESTAMPTZ(3),
    "usageCap" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DiscountCode_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "DiscountCode_merchantId_codeKey_key" ON "DiscountCode"("merchantId", "codeKey");
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The links a code is for (none: all the shop's links).
CREATE TABLE "DiscountCodeLink" (
    "codeId" TEXT NOT NULL,
    "linkId" TEXT NOT NULL,
    CONSTRAINT "DiscountCodeLink_pkey" PRIMARY KEY ("codeId","linkId")
);
CREATE INDEX "DiscountCodeLink_linkId_idx" ON "DiscountCodeLink"("linkId");
ALTER TABLE "DiscountCodeLink" ADD CONSTRAINT "DiscountCodeLink_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "DiscountCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DiscountCodeLink" ADD CONSTRAINT "DiscountCodeLink_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "Link"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Checkout" ADD COLUMN "chosenAmount" INTEGER,
                       ADD COLUMN "discountCodeId" TEXT,
                       ADD COLUMN "discountCode" TEXT,
                       ADD COLUMN "discountAmount" INTEGER NOT NULL DEFAULT 0,
                       ADD COLUMN "tipAmount" INTEGER NOT NULL DEFAULT 0,
                       ADD COLUMN "amount" INTEGER;
CREATE INDEX "Checkout_discountCodeId_idx" ON "Checkout"("discountCodeId");
ALTER TABLE "Checkout" ADD CONSTRAINT "Checkout_discountCodeId_fkey" FOREIGN KEY ("discountCodeId") REFERENCES "DiscountCode"("id") ON DELETE SET NULL ON UPDATE CASCADE;
