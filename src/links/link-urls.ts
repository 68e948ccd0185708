/** Public addresses of a link and its assets; all start with PUBLIC_BASE_URL (no trailing slash). */

export function linkPageUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/l/${slug}`;
}

export function qrImageUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/qr/${slug}.png`;
}

export function mediaUrl(publicBaseUrl: string, mediaId: string): string {
  return `${publicBaseUrl}/media/${mediaId}`;
}
