import type { Logger } from 'pino';
import type { FalGateway } from '../fal/falGateway.js';
import { isFalCdnUrl } from '../fal/falUrls.js';
import { DownloadError, fetchCapped } from '../media/fetchCapped.js';
import type { Job } from './job.js';
import { sleep } from '../util/sleep.js';
import type { Delivery } from './types.js';

const DOWNLOAD_ATTEMPTS = 3;
const DOWNLOAD_TIMEOUT_MS = 120_000;

export interface VideoDeliveryDeps {
  fal: Pick<FalGateway, 'downloadUrlFor'>;
  videoMaxBytes: number;
  log: Logger;
  signal: AbortSignal;
}

/**
 * The MP4 itself when it fits the interaction's upload limit, else its link.
 * The video is paid for by now: a download that keeps failing (or arrives
 * truncated: fetchCapped refuses a body shorter than its Content-Length) still
 * ends with the member getting the link, never with nothing.
 */
export async function chooseDelivery(job: Job, deps: VideoDeliveryDeps): Promise<Delivery> {
  const url = job.videoUrl ?? '';
  const link: Delivery = { kind: 'link', url, sizeBytes: job.videoBytes };
  const limit = job.reply.attachmentSizeLimit;
  if (job.videoBytes !== null && job.videoBytes > limit) return link;
  // Only fal's CDN is trusted for outputs; anything else is sent as a link, never fetched.
  if (!isFalCdnUrl(url)) return link;
  const downloadUrl = deps.fal.downloadUrlFor(url);
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt += 1) {
    try {
      const bytes = await fetchCapped(downloadUrl, {
        allowedHosts: [new URL(downloadUrl).host],
        maxBytes: Math.min(deps.videoMaxBytes, limit),
        timeoutMs: DOWNLOAD_TIMEOUT_MS,
      });
      return { kind: 'file', bytes, fileName: `animate-${job.id.slice(0, 8)}.mp4`, url };
    } catch (error) {
      if (error instanceof DownloadError && error.reason === 'too_large') return link;
      deps.log.warn({ err: error, attempt }, 'could not download the video from fal');
      if (attempt < DOWNLOAD_ATTEMPTS) await sleep(250 * 4 ** (attempt - 1), deps.signal);
    }
  }
  return link;
}
