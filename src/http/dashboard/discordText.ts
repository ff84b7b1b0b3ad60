/**
 * Texts written for Discord (rule values, refusal reasons) carry its markup:
 * `<t:1796083200:R>`, `<#channel>`, `<@&role>`, `<@user>`, `**bold**`. A web
 * page shows them as words instead: the names the dashboard knows, dates in
 * UTC. The result is plain text, escaped by the page like any other.
 */

export interface DiscordNames {
  channel(id: string): string | undefined;
  role(id: string): string | undefined;
  user(id: string): string | undefined;
}

export const NO_NAMES: DiscordNames = { channel: () => undefined, role: () => undefined, user: () => undefined };

export function plainDiscordText(text: string, names: DiscordNames = NO_NAMES): string {
  return text
    .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_match, seconds: string) => formatUtc(Number(seconds) * 1000))
    .replace(/<#(\d{1,20})>/g, (_match, id: string) => `#${names.channel(id) ?? id}`)
    .replace(/<@&(\d{1,20})>/g, (_match, id: string) => `@${names.role(id) ?? id}`)
    .replace(/<@!?(\d{1,20})>/g, (_match, id: string) => `@${names.user(id) ?? id}`)
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\s)\*([^*\n]+)\*(?=\s|$|[.,;:])/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** '2026-11-25 14:03 UTC': the periods are UTC, so the pages speak UTC too. */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** '2026-11-25T14:03:00.000Z', for a `<time datetime>`. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}
