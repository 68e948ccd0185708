-- Issue 22: payment facts as durable domain events. A fact (a payment captured, a renewal failed,
-- …) writes its event in the same transaction as the fact; the worker runs the capabilities'
-- handlers for it with leases, retries and parking, as it does LINE events. `dedupeKey` makes
-- recording the same fact twice (a redelivered webhook, the return page racing the webhook)
-- one event. A future `nextAttemptAt` schedules a job (a daily digest, the hourly reconciliation).
CREATE TABLE "DomainEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "subjectId" TEXT,
    "merchantId" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    CONSTRAINT "DomainEvent_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "DomainEvent_dedupeKey_key" ON "DomainEvent"("dedupeKey");
CREATE INDEX "DomainEvent_status_nextAttemptAt_idx" ON "DomainEvent"("status", "nextAttemptAt");
CREATE INDEX "DomainEvent_subjectId_idx" ON "DomainEvent"("subjectId");
