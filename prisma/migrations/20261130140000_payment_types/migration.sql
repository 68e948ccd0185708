-- The KOMOJU payment types a link's sessions offer (e.g. no konbini for same-day pickup);
-- null offers every type the shop's KOMOJU account has.
ALTER TABLE "Link" ADD COLUMN "paymentTypes" JSONB;
