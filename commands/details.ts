import { MessageFlags } from 'discord.js';
import { formatDuration } from '../src/discord/format.js';
import { InputError } from '../src/errors.js';
import { localeOf } from '../src/i18n/locale.js';
import { localized, messagesFor } from '../src/i18n/text.js';
import type { Job } from '../src/jobs/job.js';
import { formatUsd } from '../src/quota/money.js';
import { customIdFor } from './customId.js';
import type { ButtonHandler, CommandContext } from './interaction.js';

const DETAILS_ACTION = 'details';

/** `details:<jobId>`, on every finished video. */
export function detailsButtonId(jobId: string): string {
  return customIdFor(DETAILS_ACTION, jobId);
}

/** Milliseconds between two recorded moments, when both were recorded. */
function between(from: number | null, to: number | null): number | undefined {
  return from !== null && to !== null ? Math.max(0, to - from) : undefined;
}

/** What fal actually did with a job, in the clicker's language. */
export function renderDetails(job: Job, locale: string | null, { models }: Pick<CommandContext, 'models'>): string {
  const t = messagesFor(localeOf(locale));
  const unknown = t['details.unknown'];
  const duration = (ms: number | undefined) => (ms === undefined ? unknown : formatDuration(ms));
  const seed = job.resultSeed ?? job.seed;
  return t['details.body']({
    prompt: (job.actualPrompt ?? job.prompt).slice(0, 1500),
    seed: seed === null ? unknown : String(seed),
    model: models.all.find((model) => model.id === job.model)?.displayName ?? job.model,
    resolution: job.resolution,
    seconds: job.durationSeconds,
    cost: formatUsd(job.charged === false ? 0 : job.costCents),
    queue: duration(between(job.submittedAt, job.startedAt)),
    running: duration(between(job.startedAt, job.completedAt ?? job.finishedAt)),
  });
}

/** Details: privately, the prompt fal used, seed, model, resolution, duration, cost and fal's times. */
export const details = {
  kind: 'button',
  action: DETAILS_ACTION,
  customId: detailsButtonId,
  async execute(interaction, jobId, context) {
    const job = await context.jobs.find(jobId);
    if (!job) throw new InputError(localized('rerun.pictureGone'));
    await interaction.reply({ content: renderDetails(job, interaction.locale, context), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  },
} satisfies ButtonHandler;
