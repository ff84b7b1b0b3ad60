import type { Config } from '../config/config.js';
import { UnavailableError, UpstreamError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import { localeOf } from '../i18n/locale.js';
import { localized } from '../i18n/text.js';
import type { ModelRegistry } from '../fal/models/registry.js';
import type { VideoModel } from '../fal/models/videoModel.js';
import { downloadAttachment } from '../media/attachment.js';
import { checkAudio } from '../media/audio.js';
import { fitPicture, pictureLimitsFor, type FittedPicture } from '../media/fitPicture.js';
import { describeChanges } from '../media/pictureChanges.js';
import { joinClips } from '../media/video/joinClips.js';
import { lastFrame } from '../media/video/lastFrame.js';
import type { FfmpegBinary } from '../media/video/locateFfmpeg.js';
import type { Clock } from '../util/clock.js';
import type { Job } from './job.js';
import type { JobRepository } from './jobRepository.js';
import { UNDELIVERABLE, type JobLifecycle } from './lifecycle.js';
import { submitWithRetry } from './submitWithRetry.js';
import { readResult, trackUntilComplete, type StatusPacer, type TrackingDeps } from './tracking.js';
import type { VideoCourier } from './types.js';
import { chooseDelivery, downloadVideo, wholeVideoUrl } from './videoDelivery.js';

export interface JobRunnerDeps {
  config: Pick<
    Config,
    'attachmentHosts' | 'downloadTimeoutMs' | 'pollIntervalMs' | 'jobMaxWaitMs' | 'queueMaxWaitMs' | 'videoMaxBytes' | 'submitRetryMs'
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

const NO_FFMPEG = localized('extend.noFfmpeg');

/**
 * Runs reserved jobs to the end in the background: prepare (download, check,
 * upload) → submit once → track → deliver. Each step is a state saved before
 * the next starts. `stop()` ends every loop and leaves jobs in the store for
 * the next start (recovery.ts).
 */
export class JobRunner {
  private readonly running = new Set<Promise<void>>();
  private readonly stopController = new AbortController();

  constructor(private readonly deps: JobRunnerDeps) {}

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** A reserved job, from its first step. */
  run(job: Job): void {
    this.background(job.id, () => this.prepareAndSubmit(job));
  }

  /** A job fal already has (after a restart): from tracking on. */
  follow(job: Job): void {
    this.background(job.id, () => this.trackAndDeliver(job));
  }

  /** Ends every background loop, leaving unfinished jobs in the store to resume later. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.allSettled([...this.running]);
  }

  /** Waits until no job is being worked on (tests and the demo). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private background(jobId: string, work: () => Promise<void>): void {
    const { lifecycle } = this.deps;
    const task = work()
      .catch((error: unknown) => lifecycle.fail(jobId, error))
      .catch((error: unknown) => lifecycle.log({ id: jobId, guildId: null, requestId: null }).error({ err: error }, 'job failed and could not be settled'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  private async prepareAndSubmit(reserved: Job): Promise<void> {
    const { config, fal, lifecycle, jobs } = this.deps;
    const model = this.deps.models.get(reserved.model);
    const download = { allowedHosts: config.attachmentHosts, timeoutMs: config.downloadTimeoutMs };

    // A member's picture is fixed where it can be (size, transparency, format, rotation, file size)
    // and refused only where it cannot; the member reads what was changed.
    const pictureLimits = pictureLimitsFor(model.image);
    const image =
      reserved.parentJobId !== null
        ? await this.lastFrameOf(reserved, model)
        : await fitPicture(await downloadAttachment(reserved.imageSourceUrl, 'image', { ...download, maxBytes: pictureLimits.maxInputBytes }), pictureLimits);
    const imageNote = reserved.parentJobId === null ? describeChanges(image.changes, localeOf(reserved.locale)) || null : null;
    const audioLimits = model.audio;
    const audio =
      reserved.audioSourceUrl && audioLimits
        ? await checkAudio(await downloadAttachment(reserved.audioSourceUrl, 'audio', { ...download, maxBytes: audioLimits.maxBytes }), audioLimits)
        : undefined;
    const imageUrl = await fal.upload(image.bytes, image.mimeType, `image.${image.extension}`);
    const audioUrl = audio ? await fal.upload(audio.bytes, audio.mimeType, `audio.${audio.extension}`) : null;
    const prepared = await lifecycle.move(
      reserved,
      'prepared',
      { imageUrl, audioUrl, imageNote },
      `${image.format} ${image.width}x${image.height}${imageNote ? ` (${imageNote})` : ''}` +
        `${audio ? `, ${audio.format} ${audio.durationSeconds.toFixed(1)} s` : ''}`,
    );

    if (this.stopping) throw new UnavailableError(localized('error.restarting'));
    lifecycle.log(prepared).info('submitting to fal');
    const { requestId } = await submitWithRetry(prepared, model.endpointId, model.input({ ...prepared, imageUrl, audioUrl }), {
      fal,
      lifecycle,
      now: this.deps.now,
      retryForMs: config.submitRetryMs,
      signal: this.stopController.signal,
      ...(this.deps.submitBackoffMs !== undefined ? { firstBackoffMs: this.deps.submitBackoffMs } : {}),
    });
    this.deps.pacer?.expect(requestId);
    // Written before anything else can happen: from here on the job is paid for
    // and must be tracked to the end, even across restarts.
    const submitted = await jobs.transition(prepared.id, 'submitted', { requestId, submittedAt: this.deps.now() });
    if (!submitted) {
      this.deps.pacer?.done(requestId);
      // Cancelled while the submit was in flight: keep the id for the audit and stop fal's job.
      await jobs.update(prepared.id, { requestId });
      await fal
        .cancel(model.endpointId, requestId)
        .catch((error: unknown) => lifecycle.log(prepared).warn({ err: error, requestId }, 'could not cancel a job submitted after it was cancelled'));
      return;
    }
    lifecycle.log(submitted).info('submitted to fal');
    await this.trackAndDeliver(submitted);
  }

  private async trackAndDeliver(job: Job): Promise<void> {
    const model = this.deps.models.get(job.model);
    let current = job;
    let completedAt: number | undefined;
    if (current.state !== 'delivering') {
      const completed = await trackUntilComplete(current, model, this.tracking());
      if (!completed) return; // stopping: leave it for the next start
      // fal's work ended as it said COMPLETED, not when the result was read: the running time estimates learn from.
      completedAt = this.deps.now();
      current = completed;
    }
    await this.deliver(current, model, completedAt);
  }

  private async deliver(job: Job, model: VideoModel, completedAt: number | undefined): Promise<void> {
    const { lifecycle, courier, config } = this.deps;
    let current = job;
    if (current.state !== 'delivering' || !current.videoUrl) {
      const result = await readResult(current, model, { ...this.tracking(), log: lifecycle.log(current) });
      if (!result) return;
      const output = model.outputSchema.safeParse(result.data);
      if (!output.success) {
        throw new UpstreamError(localized('error.badResult'), 'bad_result', { cause: output.error });
      }
      current = await lifecycle.move(current, 'delivering', {
        videoUrl: output.data.videoUrl,
        videoBytes: output.data.videoBytes,
        resultSeed: output.data.seed,
        actualPrompt: output.data.actualPrompt,
        completedAt: current.completedAt ?? completedAt ?? this.deps.now(),
      });
    }
    let video: Buffer | undefined;
    if (current.parentJobId !== null && current.fullVideoUrl === null) ({ job: current, video } = await this.joinWithEarlier(current));
    const delivery = await chooseDelivery(current, {
      fal: this.deps.fal,
      videoMaxBytes: config.videoMaxBytes,
      ffmpeg: this.deps.ffmpeg,
      log: lifecycle.log(current),
      signal: this.stopController.signal,
    }, video);
    try {
      await courier.deliver(current, delivery);
    } catch (error) {
      throw new UpstreamError(localized('error.undeliverable'), UNDELIVERABLE, { cause: error });
    }
    const delivered = await lifecycle.delivered(current, {
      videoBytes: delivery.kind === 'file' ? delivery.bytes.length : current.videoBytes,
    });
    if (delivered) lifecycle.log(delivered).info({ delivery: delivery.kind }, 'delivered');
  }

  /**
   * Extend: the first frame of the new clip is the last frame of the video it
   * continues (the job's source is that video, on fal's CDN), fitted like a
   * member's picture. Before the submit, so a failure here costs nothing.
   */
  private async lastFrameOf(job: Job, model: VideoModel): Promise<FittedPicture> {
    const { ffmpeg, fal, config, lifecycle } = this.deps;
    if (!ffmpeg) throw new UnavailableError(NO_FFMPEG);
    const log = lifecycle.log(job);
    let frame: Buffer;
    try {
      const video = await downloadVideo(job.imageSourceUrl, { fal, log, signal: this.stopController.signal, maxBytes: config.videoMaxBytes });
      frame = await lastFrame(ffmpeg, video);
    } catch (error) {
      throw new UpstreamError(localized('extend.sourceUnreadable'), 'extend_source', {
        cause: error,
        retryable: true,
      });
    }
    // Already the video's size, which the model made; fitted all the same should a model make sizes it does not take.
    return fitPicture(frame, pictureLimitsFor(model.image));
  }

  /**
   * Extend: fal's new clip joined after the video it continues, uploaded to
   * fal's storage so the full-quality file has a link (and can be extended in
   * turn), and recorded before it is delivered so a restart does not join it
   * again. When the join cannot be made the member still gets the clip fal
   * made, alone (the message says so): it was paid for.
   */
  private async joinWithEarlier(job: Job): Promise<{ job: Job; video: Buffer | undefined }> {
    const { ffmpeg, fal, config, jobs, lifecycle } = this.deps;
    const log = lifecycle.log(job);
    if (!ffmpeg) {
      log.warn('no ffmpeg to join the extension; delivering the new clip alone');
      return { job, video: undefined };
    }
    try {
      const earlierJob = await jobs.get(job.parentJobId ?? '');
      const download = { fal, log, signal: this.stopController.signal, maxBytes: config.videoMaxBytes };
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

  private tracking(): TrackingDeps {
    const { config, fal, lifecycle, now, pacer } = this.deps;
    return { config, fal, lifecycle, now, signal: this.stopController.signal, ...(pacer ? { pacer } : {}) };
  }
}
