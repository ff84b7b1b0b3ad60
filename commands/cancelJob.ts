import { MessageFlags } from 'discord.js';
import { localeOf } from '../src/i18n/locale.js';
import { messagesFor, type SentenceKey } from '../src/i18n/text.js';
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

const REFUSALS: Record<Exclude<CancelOutcome, 'cancelled'>, SentenceKey> = {
  not_found: 'cancel.notFound',
  not_allowed: 'cancel.notAllowed',
  being_submitted: 'cancel.beingSubmitted',
  already_started: 'cancel.alreadyStarted',
  already_finished: 'cancel.alreadyFinished',
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
      const refusal = messagesFor(localeOf(interaction.locale))[REFUSALS[outcome]];
      await interaction.followUp({ content: `❌ ${refusal}`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    }
  },
} satisfies ButtonHandler;
