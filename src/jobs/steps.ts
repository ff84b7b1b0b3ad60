import type { Config } from '../config/config.js';
import { UnavailableError, UpstreamError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import { localized } from '../i18n/text.js';
import type { ModelRegistry } from '../fal/models/registry.js';
import { joinClips } from '../media/video/joinClips.js';
import type { FfmpegBinary } from '../media/video/locateFfmpeg.js';
import type { Clock } from '../util/clock.js';
import type { Job } from './job.js';
import type { JobRepository } from './jobRepository.js';
import type { JobState } from './states.js';
import { UNDELIVERABLE, type JobLifecycle } from './lifecycle.js';
import { prepareMedia } from './preparation.js';
import { submitWithRetry } from './submitWithRetry.js';
import { readResult, trackUntilComplete, type StatusPacer, type TrackingDeps } from './tracking.js';
import type { DeliveredMessage, VideoCourier } from './types.js';
import { chooseDelivery, downloadVideo, wholeVideoUrl } from './videoDelivery.js';

export interface JobStepsDeps {
  config: Pick<
    Config,
    'attachmentHosts' | 'downloadTimeoutMs' | 'pollIntervalMs' | 'jobMaxWaitMs' | 'queueMaxWaitMs' | 'videoMaxBytes' | 'submitRetryMs' | 'statusMode'
  >;
  jobs: JobRepository;
  fal: FalGateway;
  models: ModelRegistry;
  lifecycle: JobLifecycle;
  courier: VideoCourier;
  /** Fits videos to the upload limit and extends them; undefined: links instead, and no Extend. */
  ffmpeg: FfmpegBinary | undefined;
  now: Clock;
  /** First wait after fal refused a submit as busy without Retry-After (tests shorten it). */
  submitBackoffMs?: number;
  /** When fal is asked for a job's status; polling every POLL_INTERVAL_MS unless given (webhook mode). */
  pacer?: StatusPacer;
}

/** An identical seeded request within this window is answered with the earlier video, free. */
const REPEAT_WINDOW_MS = 24 * 60 * 60_000;

/** The step a job in this state needs next; undefined when nothing is left to do. */
export type JobStep = 'prepare' | 'submit' | 'track' | 'deliver';

export function nextStepOf(state: JobState): JobStep | undefined {
  switch (state) {
    case 'reserved':
      return 'prepare';
    case 'prepared':
      return 'submit';
    case 'submitted':
    case 'queued':
    case 'running':
      return 'track';
    case 'delivering':
      return 'deliver';
    default:
      return undefined;
  }
}

/**
 * A job's steps, each ending in a state saved before the next starts:
 * prepare (download, check, upload) → submit once → track → deliver. The
 * schedulers (runner.ts in one process, src/queue with BullMQ across many)
 * decide where and when each runs; every step checks the state it starts
 * from, so running one again after a crash does no harm — except submit,
 * which its scheduler never runs twice (a second POST is a second payment).
 * `signal` aborts a step when the process stops.
 */
export class JobSteps {
  constructor(private readonly deps: JobStepsDeps) {}

  /** reserved → prepared; or delivered at once when it repeats a paid request (returns undefined then). */
  async prepare(reserved: Job, signal: AbortSignal): Promise<Job | undefined> {
    const { lifecycle } = this.deps;
    const model = this.deps.models.get(reserved.model);
    const { imageUrl, audioUrl, imageSha256, imageNote, detail } = await prepareMedia(reserved, model, this.deps, {
      log: lifecycle.log(reserved),
      signal,
    });
    const prepared = await lifecycle.move(reserved, 'prepared', { imageUrl, audioUrl, imageSha256, imageNote }, detail);
    if (await this.answeredAsRepeat(prepared)) return undefined;
    return prepared;
  }

  /**
   * prepared → submitted: the one POST to fal (retried only while fal says it
   * queued nothing). Undefined when the job was cancelled while the submit was in flight.
   */
  async submit(prepared: Job, signal: AbortSignal): Promise<Job | undefined> {
    const { fal, lifecycle, jobs, config } = this.deps;
    const model = this.deps.models.get(prepared.model);
    if (signal.aborted) throw new UnavailableError(localized('error.restarting'));
    if (prepared.imageUrl === null) throw new Error(`job ${prepared.id} is prepared without a picture on fal`);
    lifecycle.log(prepared).info('submitting to fal');
    const input = model.input({ ...prepared, imageUrl: prepared.imageUrl, audioUrl: prepared.audioUrl });
    const { requestId } = await submitWithRetry(prepared, model.endpointId, input, {
      fal,
      lifecycle,
      now: this.deps.now,
      retryForMs: config.submitRetryMs,
      signal,
      ...(this.deps.submitBackoffMs !== undefined ? { firstBackoffMs: this.deps.submitBackoffMs } : {}),
    });
    // Written before anything else can happen: from here on the job is paid for
    // and must be tracked to the end, even across restarts.
    const submitted = await jobs.transition(prepared.id, 'submitted', { requestId, submittedAt: this.deps.now() });
    if (!submitted) {
      // Cancelled while the submit was in flight: keep the id for the audit and stop fal's job.
      await jobs.update(prepared.id, { requestId });
      await fal
        .cancel(model.endpointId, requestId)
        .catch((error: unknown) => lifecycle.log(prepared).warn({ err: error, requestId }, 'could not cancel a job submitted after it was cancelled'));
      return undefined;
    }
    lifecycle.log(submitted).info('submitted to fal');
    return submitted;
  }

  /**
   * Follows the job at fal until fal says COMPLETED, then reads the result:
   * → delivering, with the video's URL. Undefined when stopping (the job stays
   * where it was, for whoever runs this step next).
   */
  async track(job: Job, signal: AbortSignal): Promise<Job | undefined> {
    const { lifecycle } = this.deps;
    const model = this.deps.models.get(job.model);
    const completed = await trackUntilComplete(job, model, this.tracking(signal));
    if (!completed) return undefined;
    // fal's work ended as it said COMPLETED, not when the result was read: the running time estimates learn from.
    const completedAt = this.deps.now();
    const result = await readResult(completed, model, { ...this.tracking(signal), log: lifecycle.log(completed) });
    if (!result) return undefined;
    const output = model.outputSchema.safeParse(result.data);
    if (!output.success) {
      throw new UpstreamError(localized('error.badResult'), 'bad_result', { cause: output.error });
    }
    return lifecycle.move(completed, 'delivering', {
      videoUrl: output.data.videoUrl,
      videoBytes: output.data.videoBytes,
      resultSeed: output.data.seed,
      actualPrompt: output.data.actualPrompt,
      completedAt: completed.completedAt ?? completedAt,
    });
  }

  /**
   * Same picture bytes, model, options and explicit seed as a video delivered
   * in the last 24 hours: the member gets that video again, refunded, and fal
   * is not asked twice. Without an explicit seed every request is new.
   */
  private async answeredAsRepeat(prepared: Job): Promise<boolean> {
    if (prepared.seed === null || prepared.imageSha256 === null) return false;
    const { jobs, courier, lifecycle } = this.deps;
    const earlier = await jobs.findRepeatOf(prepared, prepared.imageSha256, this.deps.now() - REPEAT_WINDOW_MS);
    if (!earlier) return false;
    let message: DeliveredMessage | undefined;
    try {
      message = await courier.deliverRepeat(prepared, earlier);
    } catch (error) {
      throw new UpstreamError(localized('error.undeliverable'), 'repeat_undeliverable', { cause: error });
    }
    const repeated = await lifecycle.repeated(prepared, {
      videoUrl: earlier.videoUrl,
      videoBytes: earlier.videoBytes,
      resultSeed: earlier.resultSeed,
      actualPrompt: earlier.actualPrompt,
      ...deliveredAt(message),
    });
    if (repeated) lifecycle.log(repeated).info({ earlierJobId: earlier.id }, 'answered as a repeat, at no cost');
    return true;
  }

  /**
   * delivering → delivered: the video to the member (a file when it fits, else
   * a link). Sending it again after a crash edits the same reply.
   */
  async deliver(job: Job, signal: AbortSignal): Promise<void> {
    const { lifecycle, courier, config } = this.deps;
    let current = job;
    let video: Buffer | undefined;
    if (current.parentJobId !== null && current.fullVideoUrl === null) ({ job: current, video } = await this.joinWithEarlier(current, signal));
    const delivery = await chooseDelivery(current, {
      fal: this.deps.fal,
      videoMaxBytes: config.videoMaxBytes,
      ffmpeg: this.deps.ffmpeg,
      log: lifecycle.log(current),
      signal,
    }, video);
    let message: DeliveredMessage | undefined;
    try {
      message = await courier.deliver(current, delivery);
    } catch (error) {
      throw new UpstreamError(localized('error.undeliverable'), UNDELIVERABLE, { cause: error });
    }
    const delivered = await lifecycle.delivered(current, {
      videoBytes: delivery.kind === 'file' ? delivery.bytes.length : current.videoBytes,
      ...deliveredAt(message),
    });
    if (delivered) lifecycle.log(delivered).info({ delivery: delivery.kind }, 'delivered');
  }

  /**
   * Extend: fal's new clip joined after the video it continues, uploaded to
   * fal's storage so the full-quality file has a link (and can be extended in
   * turn), and recorded before it is delivered so a restart does not join it
   * again. When the join cannot be made the member still gets the clip fal
   * made, alone (the message says so): it was paid for.
   */
  private async joinWithEarlier(job: Job, signal: AbortSignal): Promise<{ job: Job; video: Buffer | undefined }> {
    const { ffmpeg, fal, config, jobs, lifecycle } = this.deps;
    const log = lifecycle.log(job);
    if (!ffmpeg) {
      log.warn('no ffmpeg to join the extension; delivering the new clip alone');
      return { job, video: undefined };
    }
    try {
      const earlierJob = await jobs.get(job.parentJobId ?? '');
      const download = { fal, log, signal, maxBytes: config.videoMaxBytes };
      const [earlier, clip] = await Promise.all([downloadVideo(wholeVideoUrl(earlierJob), download), downloadVideo(job.videoUrl ?? '', download)]);
      const joined = await joinClips(ffmpeg, earlier, clip);
      const fullVideoUrl = await fal.upload(joined.bytes, 'video/mp4', `animate-${job.id.slice(0, 8)}.mp4`);
      const changes = { fullVideoUrl, videoBytes: joined.bytes.length };
      await jobs.update(job.id, changes);
      log.info({ durationSeconds: joined.durationSeconds, bytes: joined.bytes.length }, 'extension joined to the earlier video');
      return { job: { ...job, ...changes }, video: joined.bytes };
    } catch (error) {
      log.warn({ err: error }, 'could not join the extension to the earlier video; delivering the new clip alone');
      return { job, video: undefined };
    }
  }

  private tracking(signal: AbortSignal): TrackingDeps {
    const { config, fal, lifecycle, now, pacer } = this.deps;
    return { config, fal, lifecycle, now, signal, ...(pacer ? { pacer } : {}) };
  }
}

function deliveredAt(message: DeliveredMessage | undefined): { deliveredChannelId?: string; deliveredMessageId?: string } {
  return message ? { deliveredChannelId: message.channelId, deliveredMessageId: message.messageId } : {};
}
