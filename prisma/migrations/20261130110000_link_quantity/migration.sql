-- How many a buyer may buy in one payment: fixed (min = max, 1 by default) or adjustable between
-- quantityMin and quantityMax; each checkout keeps the quantity chosen. A usage limit counts these
-- quantities (a quantity-3 purchase uses 3 places).
ALTER TABLE "Link" ADD COLUMN "quantityMin" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Link" ADD COLUMN "quantityMax" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Checkout" ADD COLUMN "quantity" INTEGER NOT NULL DEFAULT 1;
