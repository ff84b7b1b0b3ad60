import { MessageFlags } from 'discord.js';
import type { CancelOutcome } from '../src/jobs/types.js';
import { customIdFor } from './customId.js';
import type { ButtonHandler } from './interaction.js';
import { isModerator } from './permissions.js';

const CANCEL_ACTION = 'cancel';

/**
 * `cancel:<jobId>`. Progress messages already in Discord carry this exact id,
 * so the format must never change. The messenger puts it on the button through
 * the composition root (src/app.ts), which keeps src/discord unaware of commands/.
 */
export function cancelButtonId(jobId: string): string {
  return customIdFor(CANCEL_ACTION, jobId);
}

const REFUSALS: Record<Exclude<CancelOutcome, 'cancelled'>, string> = {
  not_found: 'I cannot find this job any more.',
  not_allowed: 'Only the member who started this video, or a moderator, can cancel it.',
  being_submitted: 'Your video is being handed to fal right now. Try again in a few seconds.',
  already_started: 'The video is already being made, so it can no longer be cancelled.',
  already_finished: 'This job has already finished.',
};

/** The Cancel button on a progress message: works while fal has not started the job. */
export const cancelJob = {
  kind: 'button',
  action: CANCEL_ACTION,
  customId: cancelButtonId,
  async execute(interaction, jobId, { jobs, config }) {
    // Acknowledge without changing the message: the job's own reply shows the outcome.
    await interaction.deferUpdate();
    const outcome = await jobs.cancel(jobId, { userId: interaction.user.id, isModerator: isModerator(interaction, config) });
    if (outcome !== 'cancelled') {
      await interaction.followUp({ content: `❌ ${REFUSALS[outcome]}`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    }
  },
} satisfies ButtonHandler;
