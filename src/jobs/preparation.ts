import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { InputError, UnavailableError, UpstreamError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import type { VideoModel } from '../fal/models/videoModel.js';
import { localeOf } from '../i18n/locale.js';
import { localized } from '../i18n/text.js';
import { downloadAttachment } from '../media/attachment.js';
import { checkAudio } from '../media/audio.js';
import { fitPicture, pictureLimitsFor, type FittedPicture } from '../media/fitPicture.js';
import { describeChanges } from '../media/pictureChanges.js';
import { lastFrame } from '../media/video/lastFrame.js';
import type { FfmpegBinary } from '../media/video/locateFfmpeg.js';
import type { Job } from './job.js';
import type { JobRepository } from './jobRepository.js';
import { downloadVideo } from './videoDelivery.js';

/** The job's files on fal's storage, ready for the submit. */
export interface PreparedMedia {
  imageUrl: string;
  audioUrl: string | null;
  /** sha256 (hex) of the picture as the member gave it; null when not known (an older source job, an extension's frame). */
  imageSha256: string | null;
  /** What was done to the member's picture so the model takes it, in one line; null when nothing was. */
  imageNote: string | null;
  /** For the job's event log: what was prepared. */
  detail: string;
}

export interface PreparationDeps {
  config: Pick<Config, 'attachmentHosts' | 'downloadTimeoutMs' | 'videoMaxBytes'>;
  fal: FalGateway;
  jobs: JobRepository;
  /** Reads an extension's first frame from the video it continues; undefined: no Extend. */
  ffmpeg: FfmpegBinary | undefined;
}

/** Per job: where to log, and the runner's stop signal. */
export interface PreparationScope {
  log: Logger;
  signal: AbortSignal;
}

/**
 * The prepare step: a re-run reuses its source's files; an extension starts
 * from its parent video's last frame; anything else is downloaded, fitted and
 * uploaded.
 */
export async function prepareMedia(job: Job, model: VideoModel, deps: PreparationDeps, scope: PreparationScope): Promise<PreparedMedia> {
  if (job.sourceJobId) return reuseSourceMedia(job.sourceJobId, deps.jobs);
  if (job.parentJobId !== null) return lastFrameOf(job, model, deps, scope);
  return downloadFitAndUpload(job, model, deps);
}

/**
 * A re-run (Re-roll, Remix, Render final) reuses what its source job already
 * put on fal's storage: Discord's attachment URLs expire within a day, and
 * fal's copy is the picture that was already checked. When the source job or
 * its files are gone the member hears so (and is refunded), not a failure.
 */
async function reuseSourceMedia(sourceJobId: string, jobs: JobRepository): Promise<PreparedMedia> {
  const source = await jobs.find(sourceJobId);
  if (!source?.imageUrl || (source.audioSourceUrl !== null && source.audioUrl === null)) {
    throw new InputError(localized('rerun.pictureGone'));
  }
  return {
    imageUrl: source.imageUrl,
    audioUrl: source.audioUrl,
    imageSha256: source.imageSha256,
    imageNote: source.imageNote,
    detail: `the files of job ${source.id}, already on fal's storage`,
  };
}

/**
 * A member's picture is fixed where it can be (size, transparency, format,
 * rotation, file size) and refused only where it cannot; the member reads
 * what was changed.
 */
async function downloadFitAndUpload(job: Job, model: VideoModel, { config, fal }: PreparationDeps): Promise<PreparedMedia> {
  const download = { allowedHosts: config.attachmentHosts, timeoutMs: config.downloadTimeoutMs };
  const pictureLimits = pictureLimitsFor(model.image);
  const downloaded = await downloadAttachment(job.imageSourceUrl, 'image', { ...download, maxBytes: pictureLimits.maxInputBytes });
  // The bytes as the member gave them: the fingerprint of "the same picture" whatever fitting does to them.
  const imageSha256 = createHash('sha256').update(downloaded).digest('hex');
  const image = await fitPicture(downloaded, pictureLimits);
  const imageNote = describeChanges(image.changes, localeOf(job.locale)) || null;
  const audioLimits = model.audio;
  const audio =
    job.audioSourceUrl && audioLimits
      ? await checkAudio(await downloadAttachment(job.audioSourceUrl, 'audio', { ...download, maxBytes: audioLimits.maxBytes }), audioLimits)
      : undefined;
  const imageUrl = await fal.upload(image.bytes, image.mimeType, `image.${image.extension}`);
  const audioUrl = audio ? await fal.upload(audio.bytes, audio.mimeType, `audio.${audio.extension}`) : null;
  return {
    imageUrl,
    audioUrl,
    imageSha256,
    imageNote,
    detail:
      `${pictureDetail(image)}${imageNote ? ` (${imageNote})` : ''}` +
      `${audio ? `, ${audio.format} ${audio.durationSeconds.toFixed(1)} s` : ''}`,
  };
}

/**
 * Extend: the first frame of the new clip is the last frame of the video it
 * continues (the job's source is that video, on fal's CDN), fitted like a
 * member's picture. Before the submit, so a failure here costs nothing.
 */
async function lastFrameOf(job: Job, model: VideoModel, { ffmpeg, fal, config }: PreparationDeps, { log, signal }: PreparationScope): Promise<PreparedMedia> {
  if (!ffmpeg) throw new UnavailableError(localized('extend.noFfmpeg'));
  let frame: Buffer;
  try {
    const video = await downloadVideo(job.imageSourceUrl, { fal, log, signal, maxBytes: config.videoMaxBytes });
    frame = await lastFrame(ffmpeg, video);
  } catch (error) {
    throw new UpstreamError(localized('extend.sourceUnreadable'), 'extend_source', { cause: error, retryable: true });
  }
  // Already the video's size, which the model made; fitted all the same should a model make sizes it does not take.
  const image = await fitPicture(frame, pictureLimitsFor(model.image));
  const imageUrl = await fal.upload(image.bytes, image.mimeType, `image.${image.extension}`);
  return { imageUrl, audioUrl: null, imageSha256: null, imageNote: null, detail: `the last frame of job ${job.parentJobId ?? ''}: ${pictureDetail(image)}` };
}

function pictureDetail(image: FittedPicture): string {
  return `${image.format} ${image.width}x${image.height}`;
}
