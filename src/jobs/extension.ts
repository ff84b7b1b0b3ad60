import { InputError, UnavailableError } from '../errors.js';
import type { VideoModel } from '../fal/models/videoModel.js';
import { clipCostCents } from '../fal/models/videoModel.js';
import { buildAnimateRequest } from './animateRequest.js';
import type { Job } from './job.js';
import type { AnimateRequest } from './types.js';
import { wholeVideoUrl } from './videoDelivery.js';
import { localized } from '../i18n/text.js';

/**
 * Extend: a finished video continues with a new clip whose first frame is the
 * video's last, made with the same model, resolution and length (the prompt
 * may change), and delivered joined to what came before as one video. Each
 * clip is its own paid job under the clicker's quota; the runner takes the
 * frame and joins the clips (runner.ts).
 */

/** How long an extended video may become. */
export const MAX_EXTENDED_SECONDS = 30;

/** What the member is offered before paying: the prompt to start from, the cost and the length after. */
export interface ExtensionOffer {
  parent: Job;
  prompt: string;
  /** The new clip's length, the same as the parent's. */
  durationSeconds: number;
  costCents: number;
  /** The whole video's length once extended. */
  totalSeconds: number;
}

/** Who asks for the extension, and where: the clicker pays. */
export interface ExtensionAsker {
  guildId: string | null;
  channelId: string;
  userId: string;
  /** The clicker's Discord locale: the new job speaks their language. */
  locale?: string | null;
}

/**
 * Whether `parent` can be extended, and on what terms; throws a sentence for
 * the member when it cannot (gone, not finished, too long, no ffmpeg).
 */
export function extensionOffer(parent: Job | undefined, model: VideoModel | undefined, canEditVideo: boolean): ExtensionOffer {
  if (!canEditVideo) throw new UnavailableError(localized('extend.noFfmpeg'));
  if (!parent || !model) throw new InputError(localized('extend.parentGone'));
  if (parent.state !== 'delivered' || wholeVideoUrl(parent) === '') {
    throw new InputError(localized('extend.notFinished'));
  }
  const durationSeconds = parent.durationSeconds;
  const totalSeconds = parent.totalDurationSeconds + durationSeconds;
  if (totalSeconds > MAX_EXTENDED_SECONDS) {
    throw new InputError(localized('extend.tooLong', { total: parent.totalDurationSeconds, seconds: durationSeconds, max: MAX_EXTENDED_SECONDS }));
  }
  return {
    parent,
    prompt: parent.prompt,
    durationSeconds,
    costCents: clipCostCents(model, parent.resolution, durationSeconds),
    totalSeconds,
  };
}

/**
 * The new clip's request: the parent's model, resolution, length and settings
 * with the member's prompt, a fresh seed, and the parent's video standing in
 * for the picture (its last frame is taken once the job runs).
 */
export function extensionRequest(offer: ExtensionOffer, model: VideoModel, prompt: string, asker: ExtensionAsker): AnimateRequest {
  const { parent } = offer;
  const request = buildAnimateRequest(
    {
      ...asker,
      image: { url: wholeVideoUrl(parent), filename: 'last-frame.png', contentType: undefined, declaredSize: 0 },
      prompt,
      negativePrompt: parent.negativePrompt,
      resolution: parent.resolution,
      duration: parent.durationSeconds,
      promptExpansion: parent.promptExpansion,
    },
    model,
    { resolution: parent.resolution, duration: String(parent.durationSeconds) },
  );
  return { ...request, extension: { parentJobId: parent.id, totalDurationSeconds: offer.totalSeconds } };
}
