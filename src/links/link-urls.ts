import { OWN_VIEW_PARAM } from './own-view-marker.js';

/** Public addresses of a link and its assets; all start with PUBLIC_BASE_URL (no trailing slash). */

export function linkPageUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/l/${slug}`;
}

/** The page as the merchant opens it from the chat: their views with it are not counted (own-view-marker.ts). */
export function ownLinkPageUrl(publicBaseUrl: string, slug: string, marker: string): string {
  return `${linkPageUrl(publicBaseUrl, slug)}?${OWN_VIEW_PARAM}=${marker}`;
}

export function qrImageUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/qr/${slug}.png`;
}

export function mediaUrl(publicBaseUrl: string, mediaId: string): string {
  return `${publicBaseUrl}/media/${mediaId}`;
}
