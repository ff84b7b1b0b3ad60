import { InputError } from '../errors.js';
import type { VideoModel } from '../fal/models/videoModel.js';
import { formatMegabytes } from '../media/format.js';
import { localized } from '../i18n/text.js';
import { PICTURE_MAX_INPUT_BYTES } from '../media/limits.js';
import { stripInvisible } from '../util/text.js';
import type { AnimateRequest, AttachmentRef } from './types.js';

/**
 * A request as any source states it: the slash command's options, a context
 * menu's modal, a Re-roll button's stored job. Unset choices take the
 * operator's defaults; nothing here is trusted yet.
 */
export interface AnimateOptions {
  guildId: string | null;
  channelId: string;
  userId: string;
  /** The member's Discord locale (the interaction's `locale`). */
  locale?: string | null | undefined;
  image: AttachmentRef;
  audio?: AttachmentRef | undefined;
  prompt: string;
  negativePrompt?: string | null | undefined;
  resolution?: string | null | undefined;
  /** Seconds, as a number or as Discord's choice value ('5'). */
  duration?: string | number | null | undefined;
  seed?: number | null | undefined;
  promptExpansion?: boolean | null | undefined;
  /** A re-run: the job whose picture, already on fal's storage, is reused (`image` is then that job's original). */
  sourceJobId?: string | undefined;
  privateResult?: boolean | null | undefined;
}

export interface RequestDefaults {
  resolution: string;
  /** Seconds, as config holds it ('5'). */
  duration: string;
}

/**
 * The one way options become an `AnimateRequest`. Rejects what is plainly
 * wrong from what Discord tells us (text too long, declared type or size), so
 * the member hears at once and privately; the bytes themselves are checked
 * after the reply is deferred.
 */
export function buildAnimateRequest(options: AnimateOptions, model: VideoModel, defaults: RequestDefaults): AnimateRequest {
  const prompt = withoutNul(options.prompt).trim();
  const negativePrompt = withoutNul(options.negativePrompt ?? '').trim() || undefined;

  // Zero-width and bidi characters alone would send the model an empty prompt.
  if (stripInvisible(prompt).trim().length === 0) {
    throw new InputError(localized('request.promptEmpty'));
  }
  if (prompt.length > model.promptMaxLength) {
    throw new InputError(localized('request.promptTooLong', { length: prompt.length, limit: model.promptMaxLength }));
  }
  if (negativePrompt && negativePrompt.length > model.negativePromptMaxLength) {
    throw new InputError(localized('request.negativePromptTooLong', { length: negativePrompt.length, limit: model.negativePromptMaxLength }));
  }
  const { image, audio } = options;
  if (image.contentType && !image.contentType.startsWith('image/')) {
    throw new InputError(localized('request.imageNotPicture'));
  }
  // Worded and rounded as fitPicture / checkAudio word them, so one file gets one answer. A picture
  // over the model's own limit may still fit once re-encoded: only what cannot even be taken in is refused here.
  if (image.declaredSize > PICTURE_MAX_INPUT_BYTES) {
    throw new InputError(localized('media.imageTooLarge', { size: formatMegabytes(image.declaredSize), limit: formatMegabytes(PICTURE_MAX_INPUT_BYTES) }));
  }
  if (audio && !model.audio) throw new InputError(localized('request.noAudio'));
  if (audio && model.audio && audio.declaredSize > model.audio.maxBytes) {
    throw new InputError(localized('media.audioTooLarge', { size: formatMegabytes(audio.declaredSize), limit: formatMegabytes(model.audio.maxBytes) }));
  }
  return {
    model: model.id,
    guildId: options.guildId,
    channelId: options.channelId,
    userId: options.userId,
    locale: options.locale ?? null,
    image,
    audio,
    prompt,
    negativePrompt,
    resolution: oneOf(options.resolution, model.resolutions, defaults.resolution, model.defaults.resolution),
    durationSeconds: Number(
      oneOf(
        options.duration === null || options.duration === undefined ? null : String(options.duration),
        model.durationsSeconds.map(String),
        defaults.duration,
        String(model.defaults.durationSeconds),
      ),
    ),
    seed: options.seed ?? undefined,
    promptExpansion: options.promptExpansion ?? true,
    sourceJobId: options.sourceJobId,
    privateResult: options.privateResult ?? false,
  };
}

/**
 * U+0000 is the one character no store can hold (PostgreSQL refuses it in
 * text) and no prompt means; everything else the member typed reaches the model.
 */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}

/** The chosen value when the model has it, else the operator's default when the model has that, else the model's. */
function oneOf(value: string | null | undefined, allowed: readonly string[], fallback: string, modelDefault: string): string {
  if (value !== null && value !== undefined && allowed.includes(value)) return value;
  return allowed.includes(fallback) ? fallback : modelDefault;
}
