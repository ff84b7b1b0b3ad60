import { customIdFor } from './customId.js';
import type { ButtonHandler } from './interaction.js';
import { startJob } from './jobStart.js';
import { rerunOptions, rerunnableJob } from './rerun.js';

const REROLL_ACTION = 'reroll';

/** `reroll:<jobId>`, on every finished video (commands/resultButtons.ts). */
export function rerollButtonId(jobId: string): string {
  return customIdFor(REROLL_ACTION, jobId);
}

/**
 * Re-roll: the same picture, prompt and settings with a new seed, as a new
 * job of whoever clicked (their quota, their cost shown first). The click's
 * own reply becomes the new job's message.
 */
export const reroll = {
  kind: 'button',
  action: REROLL_ACTION,
  customId: rerollButtonId,
  async execute(interaction, jobId, context) {
    const source = await rerunnableJob(jobId, context);
    await startJob(interaction, rerunOptions(source, interaction), context, { model: source.model });
  },
} satisfies ButtonHandler;
