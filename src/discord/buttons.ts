/**
 * Button custom ids: `<action>:<jobId>`, well under Discord's 100 characters.
 * Parsed here and nowhere else.
 */
export const CANCEL_ACTION = 'cancel';

export function cancelButtonRow(jobId: string): unknown {
  return {
    type: 1,
    components: [{ type: 2, style: 4, label: 'Cancel', emoji: { name: '✖️' }, custom_id: `${CANCEL_ACTION}:${jobId}` }],
  };
}

export function parseButtonId(customId: string): { action: string; jobId: string } | undefined {
  const match = /^([a-z]+):([\w-]{1,64})$/.exec(customId);
  return match ? { action: match[1]!, jobId: match[2]! } : undefined;
}
