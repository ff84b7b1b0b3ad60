import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config, DurationSeconds, Resolution } from '../config/config.js';
import { UnavailableError, UpstreamError, UserFacingError, memberMessageFor } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import { downloadAttachment } from '../media/attachment.js';
import { checkAudio } from '../media/audio.js';
import { checkImage } from '../media/image.js';
import { clipCostCents } from '../quota/cost.js';
import { ledgerJobOf } from '../quota/ledgerJob.js';
import type { MemberContext, QuotaService, Reservation } from '../quota/quotaTypes.js';
import type { JobRow } from '../store/schema.js';
import { estimateRemainingMs } from './eta.js';
import { falInputFor } from './falInput.js';
import type { QueueStatus, WanOutput } from '../fal/model.js';
import type { Clock, JobRepository } from './jobRepository.js';
import { sleep } from './sleep.js';
import { PRE_SUBMIT_STATES, TRACKED_STATES, isTerminal, type JobState } from './states.js';
import { chooseDelivery } from './videoDelivery.js';
import type { AcceptedJob, AnimateRequest, CancelOutcome, JobNotifier, ProgressPhase, ReplyTarget } from './types.js';

export interface JobServiceDeps {
  config: Pick<
    Config,
    | 'attachmentHosts'
    | 'downloadTimeoutMs'
    | 'pollIntervalMs'
    | 'jobMaxWaitMs'
    | 'queueMaxWaitMs'
    | 'videoMaxBytes'
    | 'priceCentsPerSecond'
    | 'fal'
  >;
  jobs: JobRepository;
  fal: FalGateway;
  quota: QuotaService;
  notifier: JobNotifier;
  logger: Logger;
  now: Clock;
}

const NOT_CHARGED = 'You were not charged.';
/** Before "prepared" nothing can have reached fal, so a cancel simply ends the job. */
const CANCELLABLE_BEFORE_SUBMIT: readonly JobState[] = ['received', 'validated', 'reserved'];
/** How long to keep trying to read the result of a job fal finished. */
const RESULT_PATIENCE_MS = 10 * 60_000;

/**
 * The pipeline of one `/animate`, from the member's request to the delivered
 * MP4, as a sequence of state transitions saved before each next step. It owns
 * the background work: `stop()` ends every loop and leaves jobs resumable.
 */
export class JobService {
  private readonly running = new Set<Promise<void>>();
  private readonly stopController = new AbortController();

  constructor(private readonly deps: JobServiceDeps) {}

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /**
   * Records the job and reserves its cost, fast enough to run before the
   * interaction is acknowledged: a quota refusal can then be told privately.
   * Throws a UserFacingError (the job is recorded as failed) when a rule
   * blocks it; nothing has been paid at that point.
   */
  async accept(request: AnimateRequest, target: ReplyTarget, member: MemberContext): Promise<AcceptedJob> {
    if (this.stopping) throw new UnavailableError('The bot is restarting. Please try again in a minute.');
    const received = await this.deps.jobs.create({
      id: randomUUID(),
      guild_id: request.guildId,
      channel_id: request.channelId,
      user_id: request.userId,
      application_id: target.applicationId,
      interaction_id: target.interactionId,
      interaction_token: target.token,
      interaction_expires_at: target.expiresAt,
      attachment_size_limit: target.attachmentSizeLimit,
      app_permissions: target.appPermissions,
      prompt: request.prompt,
      negative_prompt: request.negativePrompt ?? null,
      resolution: request.resolution,
      duration_seconds: Number(request.duration),
      seed: request.seed ?? null,
      prompt_expansion: request.promptExpansion ? 1 : 0,
      image_source_url: request.image.url,
      audio_source_url: request.audio?.url ?? null,
      image_url: null,
      audio_url: null,
      cost_cents: clipCostCents(this.deps.config.priceCentsPerSecond, request.resolution, request.duration),
    });
    try {
      const validated = await this.move(received, 'validated');
      const reservation = await this.deps.quota.reserve(ledgerJobOf(validated), member);
      const reserved = await this.move(validated, 'reserved');
      return { job: reserved, reservation };
    } catch (error) {
      await this.fail(received.id, error, { notify: false });
      // The job never ran. If something else ended it while we reserved (a
      // restart's clean-up), fail() left it alone: the refund is still ours.
      await this.deps.quota.refund(ledgerJobOf(await this.deps.jobs.get(received.id)));
      throw error;
    }
  }

  /** Runs an accepted job to the end in the background: prepare, submit, track, deliver. */
  run(accepted: AcceptedJob): void {
    this.background(accepted.job.id, () => this.process(accepted));
  }

  /**
   * Cancels a job that fal has not started yet: at fal first (only a queued
   * request can be cancelled there), then in the store, then the refund.
   */
  async cancel(jobId: string, actor: { userId: string; isModerator: boolean }): Promise<CancelOutcome> {
    const job = await this.deps.jobs.find(jobId);
    if (!job) return 'not_found';
    if (job.user_id !== actor.userId && !actor.isModerator) return 'not_allowed';
    const state = job.state as JobState;
    if (isTerminal(state)) return 'already_finished';
    if (state === 'running' || state === 'delivering') return 'already_started';
    // Between "prepared" and "submitted" the submit may be on the wire with no
    // request id to cancel yet: refuse rather than refund a job fal will run.
    if (state === 'prepared') return 'being_submitted';
    if (job.request_id) {
      try {
        await this.deps.fal.cancel(job.request_id);
      } catch (error) {
        this.log(job).info({ err: error }, 'fal refused to cancel; the job has started');
        return 'already_started';
      }
    }
    // Only from the states we acted on: a job that reached "prepared" meanwhile is being
    // submitted; once fal confirmed the cancel, its word stands even if a poll saw it start.
    const cancelled = await this.deps.jobs.transition(
      jobId,
      'cancelled',
      { error_code: 'cancelled', error_message: `Cancelled by ${actor.userId}. ${NOT_CHARGED}`, finished_at: this.deps.now() },
      undefined,
      job.request_id ? ['submitted', 'queued', 'running'] : CANCELLABLE_BEFORE_SUBMIT,
    );
    if (!cancelled) {
      const now = await this.deps.jobs.get(jobId);
      if (isTerminal(now.state as JobState)) return 'already_finished';
      return now.state === 'prepared' ? 'being_submitted' : 'already_started';
    }
    this.log(cancelled).info({ by: actor.userId }, 'job cancelled');
    await this.deps.quota.refund(ledgerJobOf(cancelled));
    await this.deps.notifier.cancelled(cancelled, actor.userId).catch((error: unknown) => {
      this.log(cancelled).warn({ err: error }, 'could not show the cancellation');
    });
    return 'cancelled';
  }

  /** The interaction could not be acknowledged: end the job and refund it. */
  async abandon(jobId: string, cause: unknown): Promise<void> {
    await this.fail(jobId, cause, { notify: false });
  }

  /**
   * After a restart: resume tracking every job fal knows about, and fail (with
   * a refund and a message) every job that died before it was submitted.
   */
  async resume(startedAt: number): Promise<{ resumed: number; failed: number; settled: number }> {
    // Only jobs from before this start: an interaction that arrives as the
    // gateway connects is already this process's own job, not a leftover.
    const fromBefore = (jobs: JobRow[]) => jobs.filter((job) => job.created_at < startedAt);
    const tracked = fromBefore(await this.deps.jobs.inStates(TRACKED_STATES));
    for (const job of tracked) {
      this.log(job).info({ state: job.state }, 'resuming job after restart');
      this.background(job.id, () => this.trackAndDeliver(job));
    }
    const unsubmitted = fromBefore(await this.deps.jobs.inStates(PRE_SUBMIT_STATES));
    for (const job of unsubmitted) {
      if (job.state === 'prepared') {
        // The process died between "prepared" and "submitted": the submit may or may not
        // have reached fal, and fal offers no way to look a job up without its id.
        this.log(job).warn('job died around its submit; fal may have run it without us (check the fal dashboard)');
      }
      await this.fail(
        job.id,
        new UnavailableError('The bot restarted before your video was started, so it was not made.'),
      );
    }
    return { resumed: tracked.length, failed: unsubmitted.length, settled: await this.settleFinishedJobs() };
  }

  /**
   * A job's final state and its quota settlement are two writes; a crash
   * between them leaves a finished job whose reservation is still open. Settle
   * those by the state the job ended in (the ledger takes each at most once).
   */
  private async settleFinishedJobs(): Promise<number> {
    let settled = 0;
    for (const jobId of await this.deps.quota.unsettledJobIds()) {
      const job = await this.deps.jobs.find(jobId);
      if (!job || !isTerminal(job.state as JobState)) continue;
      if (job.state === 'delivered' || isPaidButUndelivered(job)) await this.deps.quota.commit(ledgerJobOf(job));
      else await this.deps.quota.refund(ledgerJobOf(job));
      this.log(job).warn({ state: job.state }, 'settled the quota of a job finished before a crash');
      settled += 1;
    }
    return settled;
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
    const task = work()
      .catch((error: unknown) => this.fail(jobId, error))
      .catch((error: unknown) => this.deps.logger.error({ err: error, jobId }, 'job failed and could not be settled'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  private log(job: JobRow): Logger {
    return this.deps.logger.child({ jobId: job.id, guildId: job.guild_id, requestId: job.request_id ?? undefined });
  }

  private async process({ job: reserved, reservation }: AcceptedJob): Promise<void> {
    const { config, fal } = this.deps;
    const download = { allowedHosts: config.attachmentHosts, timeoutMs: config.downloadTimeoutMs };
    this.progress(reserved, 'preparing', reservation);

    const image = await checkImage(await downloadAttachment(reserved.image_source_url, 'image', download));
    const audio = reserved.audio_source_url
      ? await checkAudio(await downloadAttachment(reserved.audio_source_url, 'audio', download))
      : undefined;
    const imageUrl = await fal.upload(image.bytes, image.mimeType, `image.${image.extension}`);
    const audioUrl = audio ? await fal.upload(audio.bytes, audio.mimeType, `audio.${audio.extension}`) : null;
    const prepared = await this.move(
      reserved,
      'prepared',
      { image_url: imageUrl, audio_url: audioUrl },
      `${image.format} ${image.width}x${image.height}${audio ? `, ${audio.format} ${audio.durationSeconds.toFixed(1)} s` : ''}`,
    );

    if (this.stopping) throw new UnavailableError('The bot is restarting. Please try again in a minute.');
    this.log(prepared).info('submitting to fal');
    const { requestId } = await fal.submit(falInputFor(prepared));
    // Written before anything else can happen: from here on the job is paid for
    // and must be tracked to the end, even across restarts.
    const submitted = await this.deps.jobs.transition(prepared.id, 'submitted', { request_id: requestId, submitted_at: this.deps.now() });
    if (!submitted) {
      // Cancelled while the submit was in flight: keep the id for the audit and stop fal's job.
      await this.deps.jobs.update(prepared.id, { request_id: requestId });
      await fal.cancel(requestId).catch((error: unknown) => this.log(prepared).warn({ err: error, requestId }, 'could not cancel a job submitted after it was cancelled'));
      return;
    }
    this.log(submitted).info('submitted to fal');
    await this.trackAndDeliver(submitted);
  }

  private async trackAndDeliver(job: JobRow): Promise<void> {
    let current = job;
    if (current.state !== 'delivering') {
      const tracked = await this.track(current);
      if (!tracked) return; // stopping: leave it for the next start
      current = tracked;
    }
    await this.deliver(current);
  }

  /**
   * Polls fal until the job completes. Returns undefined when the service is
   * stopping. A status read costs nothing, so failed reads are retried until
   * the job's deadline (unless fal says retrying cannot help); the deadlines
   * apply only to a job fal has not finished, so a restart after a long
   * outage still collects a video that was made meanwhile.
   */
  private async track(job: JobRow): Promise<JobRow | undefined> {
    const { fal, config, now } = this.deps;
    const requestId = job.request_id;
    if (!requestId) throw new Error(`job ${job.id} has no request id to track`);
    let current = job;
    while (!this.stopping) {
      let status: QueueStatus | undefined;
      try {
        status = await fal.status(requestId);
      } catch (error) {
        if (!(error instanceof UpstreamError && error.retryable)) throw error;
        this.log(current).warn({ err: error }, 'fal status check failed; asking again at the next poll');
      }
      if (status?.status === 'COMPLETED') return current;

      const waitedMs = now() - (current.submitted_at ?? current.created_at);
      if (waitedMs > config.jobMaxWaitMs) {
        await fal.cancel(requestId).catch(() => undefined);
        throw new UpstreamError(
          `fal did not finish your video within ${formatMinutes(config.jobMaxWaitMs)}, so I stopped waiting.`,
          'max_wait_exceeded',
        );
      }
      if (status?.status !== 'IN_PROGRESS' && current.state !== 'running' && waitedMs > config.queueMaxWaitMs) {
        // Only a job still in line can be cancelled; if fal started it meanwhile, keep tracking.
        const cancelled = await fal.cancel(requestId).then(
          () => true,
          () => false,
        );
        if (cancelled) {
          throw new UpstreamError(
            `fal's queue was too long (over ${formatMinutes(config.queueMaxWaitMs)}), so I cancelled the job. Please try again later.`,
            'queue_timeout',
          );
        }
      }

      if (status?.status === 'IN_QUEUE') {
        // Also after running: fal puts a job back in line when its runner fails.
        current = await this.move(current, 'queued', { queue_position: status.queue_position ?? null });
        this.progress(current, 'queued');
      } else if (status?.status === 'IN_PROGRESS') {
        const lastLog = status.logs?.at(-1)?.message ?? current.last_log;
        const startedAt = current.started_at ?? now();
        current = await this.move(current, 'running', { last_log: lastLog ?? null, started_at: startedAt, queue_position: null });
        this.progress(current, 'running');
      }
      await sleep(config.pollIntervalMs, this.stopController.signal);
    }
    return undefined;
  }

  /**
   * The result of a job fal finished: it is paid for, so a passing failure to
   * read it (network, 502/503, or fal saying retry) is retried with backoff
   * for a while. The model's own failures (422, 500, 504) end the job.
   */
  private async resultOf(job: JobRow): Promise<WanOutput | undefined> {
    const requestId = job.request_id ?? '';
    const giveUpAt = this.deps.now() + RESULT_PATIENCE_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.deps.fal.result(requestId);
      } catch (error) {
        const retryable = error instanceof UpstreamError && error.retryable;
        if (!retryable || this.deps.now() >= giveUpAt) throw error;
        this.log(job).warn({ err: error, attempt }, 'could not read the result from fal; trying again');
        await sleep(Math.min(30_000, this.deps.config.pollIntervalMs * 2 ** attempt), this.stopController.signal);
        if (this.stopping) return undefined; // the next start collects it
      }
    }
  }

  private async deliver(job: JobRow): Promise<void> {
    const { notifier, quota, config } = this.deps;
    let current = job;
    if (current.state !== 'delivering' || !current.video_url) {
      const output = await this.resultOf(current);
      if (!output) return;
      current = await this.move(current, 'delivering', {
        video_url: output.video.url,
        video_bytes: output.video.file_size ?? null,
        result_seed: output.seed ?? null,
        actual_prompt: output.actual_prompt ?? null,
      });
    }
    this.progress(current, 'delivering');
    const delivery = await chooseDelivery(current, {
      fal: this.deps.fal,
      videoMaxBytes: config.videoMaxBytes,
      log: this.log(current),
      signal: this.stopController.signal,
    });
    try {
      await notifier.delivered(current, delivery);
    } catch (error) {
      throw new UpstreamError('Your video was made, but I could not reach you on Discord to deliver it.', UNDELIVERABLE, { cause: error });
    }
    const delivered = await this.deps.jobs.transition(current.id, 'delivered', {
      finished_at: this.deps.now(),
      video_bytes: delivery.kind === 'file' ? delivery.bytes.length : current.video_bytes,
    });
    if (delivered) {
      await quota.commit(ledgerJobOf(delivered));
      this.log(delivered).info({ delivery: delivery.kind }, 'delivered');
    }
  }

  private async move(job: JobRow, to: JobState, patch: Parameters<JobRepository['transition']>[2] = {}, detail?: string): Promise<JobRow> {
    const moved = await this.deps.jobs.transition(job.id, to, patch, detail);
    if (!moved) throw new JobEndedElsewhere(job.id);
    if (moved.state !== job.state) this.log(moved).info({ from: job.state, to }, 'job state changed');
    return moved;
  }

  private progress(job: JobRow, phase: ProgressPhase, reservation?: Reservation): void {
    const now = this.deps.now();
    const resolution = job.resolution as Resolution;
    const duration = String(job.duration_seconds) as DurationSeconds;
    const etaMs =
      phase === 'queued' || phase === 'running'
        ? estimateRemainingMs({
            phase,
            queuePosition: job.queue_position,
            runningForMs: job.started_at ? now - job.started_at : 0,
            resolution,
            duration,
          })
        : null;
    this.deps.notifier.progress(job, {
      phase,
      queuePosition: job.queue_position,
      elapsedMs: now - job.created_at,
      etaMs,
      lastLog: job.last_log,
      ...(reservation ? { reservation } : {}),
    });
  }

  /**
   * Ends a job as failed, exactly once: only the caller whose transition wins
   * refunds and tells the member. A job that ended elsewhere is left alone.
   */
  private async fail(jobId: string, error: unknown, options: { notify: boolean } = { notify: true }): Promise<void> {
    if (error instanceof JobEndedElsewhere) return;
    const existing = await this.deps.jobs.find(jobId);
    if (!existing || isTerminal(existing.state as JobState)) return;
    const code = error instanceof UpstreamError ? error.code : error instanceof UserFacingError ? error.kind : 'internal';
    const reason = memberMessageFor(error);
    const paid = error instanceof UpstreamError && error.code === UNDELIVERABLE;
    const memberMessage = paid || /not charged/i.test(reason) ? reason : `${reason} ${NOT_CHARGED}`;
    const failed = await this.deps.jobs.transition(jobId, 'failed', {
      error_code: code,
      error_message: memberMessage,
      finished_at: this.deps.now(),
    });
    if (!failed) return;
    const log = this.log(failed);
    if (error instanceof UserFacingError) {
      log.info({ code, reason: error.message }, 'job failed');
    } else {
      log.error({ err: error }, 'job failed with an unexpected error');
    }
    // A video fal made and we could not hand over was still paid for: it counts.
    if (isPaidButUndelivered(failed)) await this.deps.quota.commit(ledgerJobOf(failed));
    else await this.deps.quota.refund(ledgerJobOf(failed));
    if (!options.notify) return;
    await this.deps.notifier.failed(failed, memberMessage).catch((notifyError: unknown) => {
      log.warn({ err: notifyError }, 'could not tell the member that the job failed');
    });
  }
}

/** The job was finished (cancelled, failed) by someone else while this worker ran. */
class JobEndedElsewhere extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} ended elsewhere`);
  }
}

const UNDELIVERABLE = 'undeliverable';

function isPaidButUndelivered(job: JobRow): boolean {
  return job.state === 'failed' && job.error_code === UNDELIVERABLE;
}

function formatMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`;
}
