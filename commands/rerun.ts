import type { RepliableInteraction } from 'discord.js';
import { InputError } from '../src/errors.js';
import { bestResolution } from '../src/fal/models/videoModel.js';
import { localized } from '../src/i18n/text.js';
import type { AnimateOptions } from '../src/jobs/animateRequest.js';
import type { Job } from '../src/jobs/job.js';
import type { CommandContext } from './interaction.js';

/**
 * What the buttons under a finished video share: the job they act on, read
 * from the store (so they work after restarts and for weeks), and the options
 * of a new job made from it for whoever clicked.
 */

/** The job a button acts on, with its picture still on fal's storage; otherwise the member hears why not. */
export async function rerunnableJob(jobId: string, { jobs }: Pick<CommandContext, 'jobs'>): Promise<Job> {
  const source = await jobs.find(jobId);
  if (!source?.imageUrl) throw new InputError(localized('rerun.pictureGone'));
  return source;
}

/**
 * A new job like `source`, for the member who clicked, in their channel: the
 * same picture (reused from fal's storage, see src/jobs/preparation.ts),
 * prompt and settings, and a new seed unless `changes` says otherwise.
 */
export function rerunOptions(source: Job, interaction: RepliableInteraction, changes: Partial<AnimateOptions> = {}): AnimateOptions {
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId ?? source.channelId,
    userId: interaction.user.id,
    locale: interaction.locale,
    // The original addresses, for the record; the bytes come from fal's copy.
    image: { url: source.imageSourceUrl, filename: 'image', contentType: undefined, declaredSize: 0 },
    audio: source.audioSourceUrl ? { url: source.audioSourceUrl, filename: 'audio', contentType: undefined, declaredSize: 0 } : undefined,
    prompt: source.prompt,
    negativePrompt: source.negativePrompt,
    resolution: source.resolution,
    duration: source.durationSeconds,
    seed: null,
    promptExpansion: source.promptExpansion,
    sourceJobId: source.id,
    ...changes,
  };
}

/** The best resolution the job's server allows for its model, when that is above the job's; else undefined. */
export async function finalResolutionFor(job: Job, { quota, models }: Pick<CommandContext, 'quota' | 'models'>): Promise<string | undefined> {
  if (job.guildId === null) return undefined;
  const model = models.all.find((candidate) => candidate.id === job.model);
  if (!model) return undefined;
  const rules = await quota.rules(job.guildId);
  const best = bestResolution(model, rules.allowedResolutions);
  if (best === undefined) return undefined;
  return model.resolutions.indexOf(best) > model.resolutions.indexOf(job.resolution) ? best : undefined;
}
