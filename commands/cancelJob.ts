import { MessageFlags, PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import { CANCEL_ACTION } from '../src/discord/buttons.js';
import type { CancelOutcome } from '../src/jobs/types.js';
import type { ButtonHandler } from './buttonHandler.js';

const REFUSALS: Record<Exclude<CancelOutcome, 'cancelled'>, string> = {
  not_found: 'I cannot find this job any more.',
  not_allowed: 'Only the member who started this video, or a moderator, can cancel it.',
  being_submitted: 'Your video is being handed to fal right now. Try again in a few seconds.',
  already_started: 'The video is already being made, so it can no longer be cancelled.',
  already_finished: 'This job has already finished.',
};

/** The Cancel button on a progress message: works while fal has not started the job. */
export const cancelJob = {
  action: CANCEL_ACTION,
  async execute(interaction: ButtonInteraction, jobId: string, { jobs }) {
    // Acknowledge without changing the message: the job's own reply shows the outcome.
    await interaction.deferUpdate();
    const outcome = await jobs.cancel(jobId, {
      userId: interaction.user.id,
      isModerator: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    });
    if (outcome !== 'cancelled') {
      await interaction.followUp({ content: `❌ ${REFUSALS[outcome]}`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    }
  },
} satisfies ButtonHandler;
