-- How often a link's buyer page was opened while taking payments: a bare counter, nothing about who
-- viewed (known crawlers and LINE's link-preview fetcher are not counted).
ALTER TABLE "Link" ADD COLUMN "pageViews" INTEGER NOT NULL DEFAULT 0;
