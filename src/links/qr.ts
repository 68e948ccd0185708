/*
 * Level Q (25% recovery) and a 4-module quiet zone so the code still scans after chat apps
 * recompress or crop a forwarded screenshot; 600 px keeps modules large for a ~40-char URL.
 */
const QR_OPTIONS = { type: 'png', errorCorrectionLevel: 'Q', margin: 4, width: 600 } as const;

/**
 * A PNG QR code that decodes to exactly `text`. qrcode (with its PNG encoder) is loaded on the first
 * code drawn, not at startup: about 10 MB of a server that may never create a link.
 */
export async function renderQrPng(text: string): Promise<Buffer> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toBuffer(text, QR_OPTIONS);
}
