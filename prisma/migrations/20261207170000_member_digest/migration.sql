-- A member's daily digest: the local time (minutes after midnight, shop time zone) it is pushed at; NULL = off.
ALTER TABLE "Member" ADD COLUMN "digestMinutes" INTEGER;
