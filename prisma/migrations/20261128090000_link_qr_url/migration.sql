-- The address the stored QR encodes, so a QR made under an older PUBLIC_BASE_URL is re-rendered.
ALTER TABLE "Link" ADD COLUMN "qrUrl" TEXT;
