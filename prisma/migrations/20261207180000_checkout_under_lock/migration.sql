-- Issue 26: a Pay press on a usage-limited link, or with a capped discount code, is decided under
-- the link's row lock (and the code's), in ONE round trip. The press used to hold the lock across
-- BEGIN, the lock, the read of places and holds, the INSERT and COMMIT: a crowd queued on the row
-- for all of them. This function takes the locks, then runs the read the caller built
-- (payments/start-checkout.ts, from the same SQL fragments the page reads its places with): in
-- READ COMMITTED a volatile PL/pgSQL function takes a fresh snapshot per statement, so the read
-- sees every checkout a press that held the lock before committed (one statement that took the
-- lock itself would count from a snapshot older than the lock wait). The read's "admit" column is
-- the caller's decision bound (the offer rule's, see start-checkout.ts); when it admits, the
-- checkout is inserted before the lock is released at commit. Returns the read (null: no link).
-- The read is a prepared statement of the session, prepared and planned before the lock is taken,
-- once (a generic plan: its parameters are one text array): planning it afresh under the lock
-- took ~20 ms per press, which every press queued behind. Its name is the read's hash, so each
-- shape of the read (limited or not, a client, a code) is prepared once per connection.
CREATE FUNCTION "checkout_under_lock"("linkId" TEXT, "codeId" TEXT, "readSql" TEXT, "args" TEXT[], "checkout" JSONB)
RETURNS JSONB
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  "read" JSONB;
  "prepared" TEXT := 'checkout_under_lock_' || md5("readSql");
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_prepared_statements s WHERE s."name" = "prepared") THEN
    EXECUTE format('PREPARE %I(text[]) AS %s', "prepared", "readSql");
    -- Plans it now (EXPLAIN does not run it), before the lock: the plan is kept for the session.
    EXECUTE format('EXPLAIN EXECUTE %I(%L)', "prepared", "args");
  END IF;
  PERFORM 1 FROM "Link" l WHERE l."id" = "linkId" FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF "codeId" IS NOT NULL THEN
    PERFORM 1 FROM "DiscountCode" d WHERE d."id" = "codeId" FOR UPDATE;
  END IF;
  EXECUTE format('EXECUTE %I(%L)', "prepared", "args") INTO "read";
  IF ("read"->>'admit')::boolean THEN
    INSERT INTO "Checkout" ("id", "orderNumber", "linkId", "provider", "clientKey", "quantity", "chosenAmount", "discountCodeId", "discountCode",
                            "discountAmount", "tipAmount", "amount", "buyerDetails", "createdAt", "updatedAt")
    SELECT r."id", r."orderNumber", r."linkId", r."provider", r."clientKey", r."quantity", r."chosenAmount", r."discountCodeId", r."discountCode",
           r."discountAmount", r."tipAmount", r."amount", r."buyerDetails", r."createdAt", r."updatedAt"
      FROM jsonb_populate_record(NULL::"Checkout", "checkout") r;
  END IF;
  RETURN "read";
END
$$;
