/** Small pieces of the sentences quota refusals and replies are made of (the sentences themselves are in src/i18n). */

/** Discord renders `<t:UNIX:R>` as "in 3 hours" in the reader's own language and zone. */
export function relativeTime(ms: number): string {
  return `<t:${Math.ceil(ms / 1000)}:R>`;
}
