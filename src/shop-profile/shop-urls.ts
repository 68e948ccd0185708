/** The shop's public legal notice page; PUBLIC_BASE_URL has no trailing slash. */
export function shopLegalPageUrl(publicBaseUrl: string, shopSlug: string): string {
  return `${publicBaseUrl}/s/${shopSlug}/legal`;
}
