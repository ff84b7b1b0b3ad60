/**
 * "a, b, c and 4 more": a list cut to what a Discord message or embed field
 * can hold (fields take 1,024 characters, messages 2,000), whatever a
 * moderator configured.
 */
export function shortList(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
