import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { UnavailableError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import { localized } from '../i18n/text.js';
import type { ModelRegistry } from '../fal/models/registry.js';
import { clipCostCents } from '../fal/models/videoModel.js';
import type { MemberContext, QuotaService } from '../quota/quotaTypes.js';
import type { Clock } from '../util/clock.js';
import type { JobEvents } from './events.js';
import type { Job, ReplyTarget } from './job.js';
import type { JobRepository } from './jobRepository.js';
import { ledgerJobOf, type JobLifecycle } from './lifecycle.js';
import type { JobScheduler } from './scheduler.js';
import { isCancellable, isTerminal, type JobState } from './states.js';
import type { AnimateRequest, CancelActor, CancelOutcome } from './types.js';

export interface JobIntakeDeps {
  jobs: JobRepository;
  quota: QuotaService;
  fal: FalGateway;
  models: ModelRegistry;
  lifecycle: JobLifecycle;
  scheduler: JobScheduler;
  events: JobEvents;
  logger: Logger;
  now: Clock;
}

/**
 * Makes the member's reply exist (Discord's deferReply); throws when Discord
 * refuses. Resolves to the reply's message id when Discord said it (the job
 * history links to it); nothing otherwise.
 */
export type Acknowledge = () => Promise<string | null | void>;

/** Before 'prepared' nothing can have reached fal, so a cancel simply ends the job. */
const ENDED_BY_CANCEL_BEFORE_SUBMIT: readonly JobState[] = ['received', 'validated', 'reserved'];
const ENDED_BY_CANCEL_AT_FAL: readonly JobState[] = ['submitted', 'queued'];

/** Where jobs come in and where members stop them: start (record, reserve, acknowledge, run) and cancel. */
export class JobIntake {
  constructor(private readonly deps: JobIntakeDeps) {}

  /**
   * The one way to start a job, whatever asked for it. Records the job and
   * reserves its cost before acknowledging: reserving is one quick
   * transaction, so a quota refusal (a thrown QuotaError; the job is recorded
   * as failed and nothing is paid) reaches the member privately and no public
   * reply ever appears. Then acknowledges, and hands the job to the scheduler (this process, or the queue).
   */
  async start(request: AnimateRequest, target: ReplyTarget, member: MemberContext, acknowledge: Acknowledge): Promise<Job> {
    const { jobs, lifecycle, quota, scheduler } = this.deps;
    if (scheduler.stopping) throw new UnavailableError(localized('error.restarting'));
    const model = this.deps.models.get(request.model);
    const received = await jobs.create({
      id: randomUUID(),
      model: model.id,
      guildId: request.guildId,
      channelId: request.channelId,
      userId: request.userId,
      reply: target,
      locale: request.locale,
      prompt: request.prompt,
      negativePrompt: request.negativePrompt ?? null,
      resolution: request.resolution,
      durationSeconds: request.durationSeconds,
      seed: request.seed ?? null,
      promptExpansion: request.promptExpansion,
      imageSourceUrl: request.image.url,
      audioSourceUrl: request.audio?.url ?? null,
      costCents: clipCostCents(model, request.resolution, request.durationSeconds),
      sourceJobId: request.sourceJobId ?? null,
      privateResult: request.privateResult ?? false,
      parentJobId: request.extension?.parentJobId ?? null,
      totalDurationSeconds: request.extension?.totalDurationSeconds ?? request.durationSeconds,
    });
    let reserved: Job;
    let reservation;
    try {
      const validated = await lifecycle.move(received, 'validated');
      reservation = await quota.reserve(ledgerJobOf(validated), member);
      reserved = await lifecycle.move(validated, 'reserved');
    } catch (error) {
      await lifecycle.fail(received.id, error, { notify: false });
      // The job never ran. If something else ended it while we reserved (a
      // restart's clean-up), fail() left it alone: the refund is still ours.
      await lifecycle.settle(await jobs.get(received.id));
      throw error;
    }
    let replyMessageId: string | null | void;
    try {
      replyMessageId = await acknowledge();
    } catch (error) {
      await lifecycle.fail(reserved.id, error, { notify: false });
      throw error;
    }
    if (typeof replyMessageId === 'string') reserved = await this.rememberReply(reserved, replyMessageId);
    await this.deps.events.publish({ type: 'acknowledged', job: reserved, reservation, at: this.deps.now() });
    try {
      await scheduler.run(reserved);
    } catch (error) {
      // Nothing ran: the member hears it in the reply just made, and is refunded.
      await lifecycle.fail(reserved.id, new UnavailableError(localized('error.restarting'), { cause: error }));
    }
    return reserved;
  }

  /** Only a link in the history depends on it: a failed write is logged, never the job's end. */
  private async rememberReply(job: Job, replyMessageId: string): Promise<Job> {
    try {
      await this.deps.jobs.update(job.id, { replyMessageId });
      return { ...job, replyMessageId };
    } catch (error) {
      this.deps.lifecycle.log(job).warn({ err: error }, 'could not record the reply message id');
      return job;
    }
  }

  /**
   * Cancels a job that fal has not started yet: at fal first (only a queued
   * request can be cancelled there), then in the store, then the refund.
   */
  async cancel(jobId: string, actor: CancelActor): Promise<CancelOutcome> {
    const { jobs, lifecycle } = this.deps;
    const job = await jobs.find(jobId);
    if (!job) return 'not_found';
    if (job.userId !== actor.userId && !actor.isModerator) return 'not_allowed';
    if (isTerminal(job.state)) return 'already_finished';
    if (!isCancellable(job.state)) return 'already_started';
    // Between "prepared" and "submitted" the submit may be on the wire with no
    // request id to cancel yet: refuse rather than refund a job fal will run.
    if (job.state === 'prepared') return 'being_submitted';
    if (job.requestId) {
      try {
        await this.deps.fal.cancel(this.deps.models.get(job.model).endpointId, job.requestId);
      } catch (error) {
        lifecycle.log(job).info({ err: error }, 'fal refused to cancel; the job has started');
        return 'already_started';
      }
    }
    // Only from the states we acted on: a job that reached "prepared" meanwhile is being
    // submitted; once fal confirmed the cancel, its word stands even if a poll saw it start.
    const cancelled = await lifecycle.cancelled(
      job,
      actor.userId,
      job.requestId ? [...ENDED_BY_CANCEL_AT_FAL, 'running'] : ENDED_BY_CANCEL_BEFORE_SUBMIT,
    );
    if (!cancelled) {
      const now = await jobs.get(jobId);
      if (isTerminal(now.state)) return 'already_finished';
      return now.state === 'prepared' ? 'being_submitted' : 'already_started';
    }
    lifecycle.log(cancelled).info({ by: actor.userId }, 'job cancelled');
    return 'cancelled';
  }
}
