-- The shop's public profile: the name and logo buyers see on its link pages, a contact, and the
-- items Japan's Specified Commercial Transaction Act (特定商取引法) expects sellers to show, typed in
-- the chat or replaced by a URL to the shop's own page. Every item is optional until the shop
-- issues a live link. The shop slug names its public legal page (/s/<slug>/legal); existing
-- shops get one from the same strong random source as new ones.
ALTER TABLE "Merchant" ADD COLUMN "shopSlug" TEXT NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE "Merchant" ADD COLUMN "displayName" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "logoId" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "contact" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "legalName" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "legalAddress" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "legalPhone" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "legalResponsible" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "returnsPolicy" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "deliveryTiming" TEXT;
ALTER TABLE "Merchant" ADD COLUMN "legalUrl" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Merchant_shopSlug_key" ON "Merchant"("shopSlug");
