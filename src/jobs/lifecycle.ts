import type { Logger } from 'pino';
import { QuotaError, UpstreamError, UserFacingError, memberMessageFor, newReportId, statesNoCharge } from '../errors.js';
import { en } from '../i18n/en.js';
import { DEFAULT_LOCALE, localeOf, type Locale } from '../i18n/locale.js';
import { messagesFor } from '../i18n/text.js';
import type { LedgerJob, QuotaService } from '../quota/quotaTypes.js';
import type { Clock } from '../util/clock.js';
import type { JobEvents, JobOutcome } from './events.js';
import type { Job, JobChanges } from './job.js';
import type { JobRepository } from './jobRepository.js';
import { isTerminal, type JobState } from './states.js';

export const NOT_CHARGED = en['job.notCharged'];
/** fal made the video and billed it, but the member could not be reached. */
export const UNDELIVERABLE = 'undeliverable';

export interface JobLifecycleDeps {
  jobs: JobRepository;
  quota: QuotaService;
  events: JobEvents;
  logger: Logger;
  now: Clock;
}

/** The job was finished (cancelled, failed) by someone else while this worker ran. */
class JobEndedElsewhere extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} ended elsewhere`);
    this.name = 'JobEndedElsewhere';
  }
}

/**
 * Every state change of a job, in one place: the compare-and-set write, the
 * event to subscribers, and at the end the settlement of its money. Only the
 * actor whose final transition wins settles and speaks to the member, so a
 * job ends, and is paid for or refunded, exactly once.
 */
export class JobLifecycle {
  constructor(private readonly deps: JobLifecycleDeps) {}

  log(job: Pick<Job, 'id' | 'guildId' | 'requestId'>): Logger {
    return this.deps.logger.child({ jobId: job.id, guildId: job.guildId, requestId: job.requestId ?? undefined });
  }

  /** Moves a job forward; throws JobEndedElsewhere when it was ended meanwhile. */
  async move(job: Job, to: JobState, changes: JobChanges = {}, detail?: string): Promise<Job> {
    const moved = await this.deps.jobs.transition(job.id, to, changes, detail);
    if (!moved) throw new JobEndedElsewhere(job.id);
    if (moved.state !== job.state) this.log(moved).info({ from: job.state, to }, 'job state changed');
    await this.deps.events.publish({ type: 'changed', job: moved, from: job.state, at: this.deps.now() });
    return moved;
  }

  /** The video reached the member: the job is done and paid for. */
  async delivered(job: Job, changes: JobChanges): Promise<Job | undefined> {
    return this.end(job, 'delivered', changes, { charged: true, memberMessage: null, notifyMember: false });
  }

  /**
   * A repeat of a request already paid for, answered with the earlier video:
   * done, and refunded (fal made nothing for it).
   */
  async repeated(job: Job, changes: JobChanges): Promise<Job | undefined> {
    return this.end(job, 'delivered', changes, { charged: false, memberMessage: null, notifyMember: false });
  }

  /** Cancelled on request, from the states the caller acted on; refunded. */
  async cancelled(job: Job, by: string, onlyFrom: readonly JobState[]): Promise<Job | undefined> {
    return this.end(
      job,
      'cancelled',
      { errorCode: 'cancelled', errorMessage: `Cancelled by ${by}. ${NOT_CHARGED}` },
      { charged: false, memberMessage: messagesFor(localeOf(job.locale))['job.notCharged'], notifyMember: true, cancelledBy: by },
      onlyFrom,
    );
  }

  /**
   * Ends a job as failed, exactly once; true when this call ended it. A job
   * that ended elsewhere is left alone, and so is one that moved past
   * `onlyFrom` (a submit step that failed after fal took the job must not fail
   * a job fal is running). `notify: false` when the member has no reply to read it in.
   */
  async fail(jobId: string, error: unknown, options: { notify?: boolean; onlyFrom?: readonly JobState[] } = {}): Promise<boolean> {
    if (error instanceof JobEndedElsewhere) return false;
    const existing = await this.deps.jobs.find(jobId);
    if (!existing || isTerminal(existing.state)) return false;
    if (options.onlyFrom && !options.onlyFrom.includes(existing.state)) return false;
    const code = error instanceof UpstreamError ? error.code : error instanceof UserFacingError ? error.kind : 'internal';
    // A video fal made and we could not hand over was still paid for: it counts.
    const charged = code === UNDELIVERABLE;
    // A bug gets a report id, shown to the member and logged with the error, so a report leads to its log line.
    const reportId = error instanceof UserFacingError ? undefined : newReportId();
    // The member reads it in their language; the store keeps it in English, for operators.
    const say = (locale: Locale) => {
      const reason = memberMessageFor(error, reportId, locale);
      return charged || statesNoCharge(error) ? reason : `${reason} ${messagesFor(locale)['job.notCharged']}`;
    };
    const memberMessage = say(localeOf(existing.locale));
    const failed = await this.end(
      existing,
      'failed',
      { errorCode: code, errorMessage: say(DEFAULT_LOCALE) },
      { charged, memberMessage, notifyMember: options.notify ?? true, ...(error instanceof QuotaError ? { refusedBy: error.rule } : {}) },
      options.onlyFrom,
    );
    if (!failed) return false;
    if (error instanceof UserFacingError) this.log(failed).info({ code, reason: error.message }, 'job failed');
    else this.log(failed).error({ err: error, reportId }, 'job failed with an unexpected error');
    return true;
  }

  /**
   * Settles the money of a job that ended: commit when the member paid,
   * refund otherwise. The ledger takes each at most once, so settling again
   * (after a crash between the final state and this) is harmless.
   */
  async settle(job: Job): Promise<void> {
    if (job.charged) await this.deps.quota.commit(job);
    else await this.deps.quota.refund(job);
  }

  private async end(
    job: Job,
    to: 'delivered' | 'failed' | 'cancelled',
    changes: JobChanges,
    outcome: JobOutcome,
    onlyFrom?: readonly JobState[],
  ): Promise<Job | undefined> {
    const at = this.deps.now();
    const ended = await this.deps.jobs.transition(job.id, to, { ...changes, charged: outcome.charged, finishedAt: at }, undefined, onlyFrom);
    if (!ended) return undefined;
    await this.settle(ended);
    await this.deps.events.publish({ type: 'ended', job: ended, from: job.state, outcome, at });
    return ended;
  }
}

/** What the ledger needs to know of a job. */
export function ledgerJobOf(job: Job): LedgerJob {
  const { id, guildId, channelId, userId, costCents, resolution, durationSeconds } = job;
  return { id, guildId, channelId, userId, costCents, resolution, durationSeconds, hasAudio: job.audioSourceUrl !== null };
}
