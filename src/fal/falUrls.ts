/**
 * fal's public hosts, and the rewrite that points all of them at one base URL
 * (a local fake, a proxy). The client builds every URL itself from the request
 * id, so rewriting in both requestMiddleware and fetch is the only reliable
 * seam (PROTOCOLS.md §2).
 */
const FAL_API_HOST = /^https:\/\/(queue\.fal\.run|fal\.run|rest\.fal\.ai|rest\.alpha\.fal\.ai)(?=[/?]|$)/;
const FAL_CDN_HOST = /^https:\/\/([a-z0-9-]+\.)*fal\.media(?=[/?]|$)/;

export function rewriteFalUrl(url: string, baseUrl: string | undefined): string {
  if (!baseUrl) return url;
  return url.replace(FAL_API_HOST, baseUrl).replace(FAL_CDN_HOST, baseUrl);
}

/** Is this URL on fal's CDN (where outputs live)? Outputs are fetched from nowhere else. */
export function isFalCdnUrl(url: string): boolean {
  return FAL_CDN_HOST.test(url);
}
