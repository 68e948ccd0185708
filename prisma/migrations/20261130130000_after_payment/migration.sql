-- A message of the shop's shown on the return page once the buyer has paid ("we ship within 3 days").
ALTER TABLE "Link" ADD COLUMN "afterPaymentMessage" TEXT;
