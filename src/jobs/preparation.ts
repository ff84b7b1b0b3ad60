import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';
import { InputError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import type { VideoModel } from '../fal/models/videoModel.js';
import { localized } from '../i18n/text.js';
import { downloadAttachment } from '../media/attachment.js';
import { checkAudio } from '../media/audio.js';
import { checkImage } from '../media/image.js';
import type { Job } from './job.js';
import type { JobRepository } from './jobRepository.js';

/** The job's files on fal's storage, ready for the submit. */
export interface PreparedMedia {
  imageUrl: string;
  audioUrl: string | null;
  /** sha256 (hex) of the picture as downloaded; null when not known (an older source job). */
  imageSha256: string | null;
  /** For the job's event log: what was prepared. */
  detail: string;
}

export interface PreparationDeps {
  config: Pick<Config, 'attachmentHosts' | 'downloadTimeoutMs'>;
  fal: FalGateway;
  jobs: JobRepository;
}

/** The prepare step: a re-run reuses its source's files; anything else is downloaded, checked and uploaded. */
export async function prepareMedia(job: Job, model: VideoModel, deps: PreparationDeps): Promise<PreparedMedia> {
  return job.sourceJobId ? reuseSourceMedia(job.sourceJobId, deps.jobs) : downloadCheckAndUpload(job, model, deps);
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
    detail: `the files of job ${source.id}, already on fal's storage`,
  };
}

async function downloadCheckAndUpload(job: Job, model: VideoModel, { config, fal }: PreparationDeps): Promise<PreparedMedia> {
  const download = { allowedHosts: config.attachmentHosts, timeoutMs: config.downloadTimeoutMs };
  const downloaded = await downloadAttachment(job.imageSourceUrl, 'image', { ...download, maxBytes: model.image.maxBytes });
  // The bytes as the member gave them: the fingerprint of "the same picture" whatever checking does to them.
  const imageSha256 = createHash('sha256').update(downloaded).digest('hex');
  const image = await checkImage(downloaded, model.image);
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
    detail: `${image.format} ${image.width}x${image.height}${audio ? `, ${audio.format} ${audio.durationSeconds.toFixed(1)} s` : ''}`,
  };
}
