-- Issue 23. A shop says which country it sells from (JP or KR: which law's seller items its legal
-- page shows and its live links need) and which currency a bare number means. The legal items
-- either law adds: the seller's e-mail, charges other than the price (shipping, the konbini fee),
-- and the Korean business and mail-order registration numbers. The payment methods the shop's
-- KOMOJU account offers are cached here (refreshed daily) so every instance reads one list.
ALTER TABLE "Merchant" ADD COLUMN "country" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "currency" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "legalEmail" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "extraCharges" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "businessNumber" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "mailOrderNumber" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "paymentMethods" JSONB;
ALTER TABLE "Merchant" ADD COLUMN "paymentMethodsFetchedAt" TIMESTAMPTZ(3);

-- A short order number a buyer can read out (payments/order-number.ts), sent to KOMOJU as
-- payment_data.external_order_num. Null on checkouts made before it existed.
ALTER TABLE "Checkout" ADD COLUMN "orderNumber" TEXT;
CREATE UNIQUE INDEX "Checkout_orderNumber_key" ON "Checkout"("orderNumber");

-- The legal page now lists メールアドレス / 이메일 as its own item; a contact that was an email
-- address becomes it (the free "contact" field is no longer asked).
UPDATE "Merchant" SET "legalEmail" = "contact" WHERE "contact" LIKE '%_@_%.%' AND "contact" NOT LIKE '% %';

-- The sandbox checkout offers only the payment types its session was opened with (a card-only
-- link gets no "pay at a konbini" button); null: every type, as a session without payment_types.
ALTER TABLE "SandboxSession" ADD COLUMN "paymentTypes" JSONB;
