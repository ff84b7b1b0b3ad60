import type { Logger } from 'pino';
import type { FalGateway } from '../fal/falGateway.js';
import { isFalCdnUrl } from '../fal/falUrls.js';
import { DownloadError, fetchCapped } from '../media/fetchCapped.js';
import { fitVideoToSize } from '../media/video/fitVideoToSize.js';
import type { FfmpegBinary } from '../media/video/locateFfmpeg.js';
import { VideoError } from '../media/video/videoError.js';
import { sleep } from '../util/sleep.js';
import type { Job } from './job.js';
import type { Delivery } from './types.js';

const DOWNLOAD_ATTEMPTS = 3;
const DOWNLOAD_TIMEOUT_MS = 120_000;

export interface VideoDeliveryDeps {
  fal: Pick<FalGateway, 'downloadUrlFor'>;
  videoMaxBytes: number;
  /** Shrinks a video over the upload limit; without it such a video is sent as its link. */
  ffmpeg: FfmpegBinary | undefined;
  log: Logger;
  signal: AbortSignal;
}

/** The whole video a job delivers: the joined one for an extension, else fal's output. */
export function wholeVideoUrl(job: Job): string {
  return job.fullVideoUrl ?? job.videoUrl ?? '';
}

/**
 * The MP4 itself when it fits the interaction's upload limit; a smaller copy
 * made by ffmpeg (with the link to the full-quality file) when it does not;
 * else its link. The video is paid for by now: a download that keeps failing
 * (or arrives truncated: fetchCapped refuses a body shorter than its
 * Content-Length), or a copy that cannot be made small enough, still ends with
 * the member getting the link, never with nothing. `video` is the file when
 * the caller already holds it (an extension just joined).
 */
export async function chooseDelivery(job: Job, deps: VideoDeliveryDeps, video?: Buffer): Promise<Delivery> {
  const url = wholeVideoUrl(job);
  const link: Delivery = { kind: 'link', url, sizeBytes: video?.length ?? job.videoBytes };
  const limit = job.reply.attachmentSizeLimit;
  const fileName = `animate-${job.id.slice(0, 8)}.mp4`;
  let bytes = video;
  if (bytes === undefined) {
    const declared = job.videoBytes;
    if (declared !== null && (declared > deps.videoMaxBytes || (declared > limit && !deps.ffmpeg))) return link;
    // Only fal's CDN is trusted for outputs; anything else is sent as a link, never fetched.
    if (!isFalCdnUrl(url)) return link;
    bytes = await downloadVideo(url, { ...deps, maxBytes: deps.ffmpeg ? deps.videoMaxBytes : Math.min(deps.videoMaxBytes, limit) }).catch(
      () => undefined,
    );
    if (bytes === undefined) return link;
  }
  if (bytes.length <= limit) return { kind: 'file', bytes, fileName, url };
  if (!deps.ffmpeg) return link;

  const started = Date.now();
  try {
    const fitted = await fitVideoToSize(deps.ffmpeg, bytes, limit);
    deps.log.info(
      { fromBytes: bytes.length, toBytes: fitted.bytes.length, limit, width: fitted.width, height: fitted.height, ms: Date.now() - started },
      'video re-encoded to fit the upload limit',
    );
    return {
      kind: 'file',
      bytes: fitted.bytes,
      fileName,
      url,
      fitted: { fullBytes: bytes.length, width: fitted.width, height: fitted.height },
    };
  } catch (error) {
    if (!(error instanceof VideoError)) throw error;
    deps.log.warn({ err: error, reason: error.reason, stderrTail: error.stderrTail, limit }, 'could not fit the video to the upload limit; sending the link');
    return link;
  }
}

/**
 * A video from fal's CDN, with a byte cap and three attempts (backing off
 * between them). Throws the last DownloadError; a file over the cap is not
 * tried again.
 */
export async function downloadVideo(
  url: string,
  deps: Pick<VideoDeliveryDeps, 'fal' | 'log' | 'signal'> & { maxBytes: number },
): Promise<Buffer> {
  if (!isFalCdnUrl(url)) throw new DownloadError('host_not_allowed', `not a fal CDN URL: ${url}`);
  const downloadUrl = deps.fal.downloadUrlFor(url);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetchCapped(downloadUrl, {
        allowedHosts: [new URL(downloadUrl).host],
        maxBytes: deps.maxBytes,
        timeoutMs: DOWNLOAD_TIMEOUT_MS,
      });
    } catch (error) {
      deps.log.warn({ err: error, attempt }, 'could not download the video from fal');
      if ((error instanceof DownloadError && error.reason === 'too_large') || attempt >= DOWNLOAD_ATTEMPTS) throw error;
      await sleep(250 * 4 ** (attempt - 1), deps.signal);
    }
  }
}
