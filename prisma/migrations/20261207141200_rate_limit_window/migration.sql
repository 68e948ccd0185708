-- Expired rate-limit counters are dropped by the attempt that counts (merchants/rate-limit.ts):
-- without an index on the window's start that was a scan of every counter, one per buyer address,
-- on every Pay press and return page.
CREATE INDEX "RateLimit_windowStart_idx" ON "RateLimit"("windowStart");
