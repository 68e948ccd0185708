-- The worker's "unfinished events of this user" probe reads only unfinished rows.
DROP INDEX "LineEvent_userId_eventTimestamp_idx";

CREATE INDEX "LineEvent_userId_status_eventTimestamp_idx" ON "LineEvent"("userId", "status", "eventTimestamp");
