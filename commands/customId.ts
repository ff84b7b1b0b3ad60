/**
 * Component custom ids (buttons, modals) are `<action>:<id>`, well under
 * Discord's 100 characters: `action` picks the handler, `id` is what it acts
 * on (a job id). Built and parsed here and nowhere else. Messages already in
 * Discord carry ids in this format (`cancel:<jobId>`), so it can only grow.
 */
const CUSTOM_ID = /^([a-z]+):([\w-]{1,64})$/;

export interface ParsedCustomId {
  action: string;
  id: string;
}

export function parseCustomId(customId: string): ParsedCustomId | undefined {
  const match = CUSTOM_ID.exec(customId);
  return match ? { action: match[1]!, id: match[2]! } : undefined;
}

/** Throws on an action or id the parser would not read back: that is a bug, not input. */
export function customIdFor(action: string, id: string): string {
  const customId = `${action}:${id}`;
  const parsed = parseCustomId(customId);
  if (parsed?.action !== action || parsed.id !== id) throw new Error(`not a valid custom id: ${JSON.stringify(customId)}`);
  return customId;
}
