-- Issue 21: one user's LINE events never run in parallel, whichever request or instance stored
-- them. Storing a webhook's events and claiming the ones that may run at once was one INSERT whose
-- "nothing unfinished for this user" check could not see a concurrent request's uncommitted
-- INSERT: two events of one user (a double-tapped confirm button) were both claimed and ran side
-- by side. This function takes a transaction-scoped advisory lock per user of the batch (in a
-- fixed order, so two batches cannot deadlock) and then runs the same INSERT: PL/pgSQL takes a
-- fresh snapshot per statement, so the INSERT sees every event a request that held the lock
-- before it committed. The lock is released when the caller's statement commits. Still one round
-- trip for the webhook.
CREATE FUNCTION "line_store_events"("batch" JSONB, "claimLimit" INTEGER, "leaseSeconds" DOUBLE PRECISION)
RETURNS TABLE ("webhookEventId" TEXT, "userId" TEXT, "claimed" BOOLEAN)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  "lockedUser" TEXT;
BEGIN
  FOR "lockedUser" IN
    SELECT DISTINCT b->>'userId' FROM jsonb_array_elements("batch") AS b WHERE b->>'userId' IS NOT NULL ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(hashtext('line-user:' || "lockedUser"));
  END LOOP;
  RETURN QUERY
  WITH rows AS (
    SELECT * FROM jsonb_to_recordset("batch")
      AS b("webhookEventId" text, "userId" text, "payload" jsonb, "eventTimestamp" bigint, "status" text, "lastError" text, "ord" int)
  ), heads AS (
    SELECT h."webhookEventId" FROM (
      SELECT DISTINCT ON (COALESCE(r."userId", r."webhookEventId")) r."webhookEventId", r."userId", r."ord"
        FROM rows r
       WHERE r."status" = 'pending'
         AND NOT EXISTS (SELECT 1 FROM "LineEvent" e WHERE e."webhookEventId" = r."webhookEventId")
       ORDER BY COALESCE(r."userId", r."webhookEventId"), r."eventTimestamp", r."ord") AS h
     WHERE h."userId" IS NULL
        OR NOT EXISTS (SELECT 1 FROM "LineEvent" o WHERE o."userId" = h."userId" AND o."status" IN ('pending', 'replying', 'pushing'))
     ORDER BY h."ord"
     LIMIT "claimLimit"
  )
  INSERT INTO "LineEvent" AS e ("webhookEventId", "userId", "payload", "eventTimestamp", "status", "lastError", "lockedUntil", "attempts")
  SELECT r."webhookEventId", r."userId", r."payload", r."eventTimestamp", r."status", r."lastError",
         CASE WHEN h."webhookEventId" IS NULL THEN NULL ELSE now() + make_interval(secs => "leaseSeconds") END,
         CASE WHEN h."webhookEventId" IS NULL THEN 0 ELSE 1 END
    FROM rows r LEFT JOIN heads h ON h."webhookEventId" = r."webhookEventId"
   ORDER BY r."ord"
  ON CONFLICT ("webhookEventId") DO NOTHING
  RETURNING e."webhookEventId", e."userId", e."attempts" = 1;
END
$$;
