import { hostname } from 'node:os';
import { Queue, WaitingError, Worker, type Job as QueueJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { UnavailableError } from '../errors.js';
import { localized } from '../i18n/text.js';
import type { Job } from '../jobs/job.js';
import type { SchedulerParts } from '../jobs/jobs.js';
import { settleFinishedJobs, type RecoveryReport } from '../jobs/recovery.js';
import type { JobScheduler } from '../jobs/scheduler.js';
import { PRE_SUBMIT_STATES, TRACKED_STATES } from '../jobs/states.js';
import { nextStepOf, type JobStep } from '../jobs/steps.js';
import type { Clock } from '../util/clock.js';
import { withinMs } from '../util/withinMs.js';

/** The one BullMQ queue: every step of every job, named by step. */
export const STEP_QUEUE_NAME = 'animate-steps';

/**
 * A dead process's steps are taken over once their lock expires and the next
 * stalled-job check runs: at most LOCK_MS + STALLED_CHECK_MS (12 s; issue 12
 * asks for 15). Workers renew their locks every LOCK_MS / 2.
 */
export const LOCK_MS = 8_000;
const STALLED_CHECK_MS = 4_000;
/** Steps mostly wait on fal and Discord: a process keeps many at once (a status stream each while tracking). */
const CONCURRENCY = 2_000;
/**
 * Finished steps are kept this long so their ids stay taken: a step added again
 * (after a crash, by a recovering process) is then a no-op, never a second run.
 */
const KEEP_FINISHED_SECONDS = 14 * 24 * 60 * 60;
/** A job still being acknowledged elsewhere is left alone this long before a recovering process fails it. */
const INTAKE_GRACE_MS = 60_000;
const PING_TIMEOUT_MS = 1_000;
const STOP_TIMEOUT_MS = 3_000;
/** How long a start waits for Redis before it gives up (the process exits and its supervisor tries again). */
const START_TIMEOUT_MS = 15_000;
/**
 * How long a new job waits for Redis before the member is told to try again.
 * A step that reaches Redis later finds the job failed and does nothing.
 */
const HAND_OVER_TIMEOUT_MS = 5_000;

const STEP_ORDER: readonly JobStep[] = ['prepare', 'submit', 'track', 'deliver'];

interface StepData {
  jobId: string;
  /** Added by a recovering process for a job found "prepared" with no submit step: it cannot be known whether fal has it. */
  recovered?: boolean;
}

export interface QueueSchedulerDeps extends SchedulerParts {
  /** Two connections: BullMQ's worker blocks one while it waits for steps. */
  connection: Redis;
  /** Undefined: this process only adds steps (PROCESS_ROLE=gateway); worker processes run them. */
  workerConnection: Redis | undefined;
  prefix: string;
  logger: Logger;
  now: Clock;
}

/**
 * Scale-out mode: each step of a job (steps.ts) is a BullMQ job on Redis with
 * the id `<job id>_<step>`, so adding it twice adds it once. Whichever process
 * is free takes it; when a process dies, BullMQ's stalled-job check hands its
 * steps to another after the lock expires. Every step checks the job's stored
 * state first, so a step run again does no harm — except submit: a submit
 * step that started before (its process died mid-step) fails and refunds,
 * because fal may have the job and a second POST would be a second payment.
 * SIGTERM hands unfinished steps back at once instead of waiting for the lock.
 */
export class QueueScheduler implements JobScheduler {
  private readonly queue: Queue<StepData>;
  /** Undefined in a process that only acknowledges (PROCESS_ROLE=gateway): others run the steps. */
  private readonly worker: Worker<StepData> | undefined;
  private readonly stopController = new AbortController();
  private readonly active = new Set<Promise<unknown>>();

  constructor(private readonly deps: QueueSchedulerDeps) {
    const options = { connection: deps.connection, prefix: deps.prefix };
    this.queue = new Queue<StepData>(STEP_QUEUE_NAME, options);
    if (!deps.workerConnection) {
      this.worker = undefined;
      return;
    }
    this.worker = new Worker<StepData>(
      STEP_QUEUE_NAME,
      (queueJob, token) => {
        const step = this.runStep(queueJob, token);
        this.active.add(step);
        return step.finally(() => this.active.delete(step));
      },
      {
        connection: deps.workerConnection,
        prefix: deps.prefix,
        // Shown as each step's processedBy: which process ran it (host and pid), for operators and tests.
        name: `${hostname()}:${process.pid}`,
        concurrency: CONCURRENCY,
        lockDuration: LOCK_MS,
        stalledInterval: STALLED_CHECK_MS,
        // A stalled step is always run again: it looks at the job's state first.
        maxStalledCount: 1_000,
        autorun: false,
      },
    );
    this.worker.on('error', (error) => deps.logger.warn({ err: error }, 'job queue worker error'));
    this.worker.on('failed', (queueJob, error) =>
      deps.logger.error({ err: error, step: queueJob?.name, jobId: queueJob?.data.jobId }, 'a job step failed and could not settle the job'),
    );
  }

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Throws when Redis does not take the step in time (the intake then fails and refunds the job). */
  async run(job: Job): Promise<void> {
    await withinMs(this.add(job.id, 'prepare'), HAND_OVER_TIMEOUT_MS, 'Redis did not take the job');
  }

  /**
   * Starts taking steps. Steps of dead processes come back by themselves
   * (BullMQ's stalled-job check); this adds the steps of unfinished jobs that
   * have none (left by a bot that ran without the queue, or a Redis that lost
   * its data) and settles jobs that ended just before a crash.
   */
  async resume(startedAt: number): Promise<RecoveryReport> {
    const { jobs, quota } = this.deps.recovery;
    const { lifecycle } = this.deps;
    let resumed = 0;
    let failed = 0;
    for (const job of await jobs.inStates([...PRE_SUBMIT_STATES, ...TRACKED_STATES])) {
      if (job.createdAt >= startedAt) continue;
      const step = nextStepOf(job.state);
      // A reserved job's prepare step is added right after the acknowledgement; none means its process died in between.
      if (step && step !== 'prepare') {
        if (await this.stepIsHandled(job.id, step)) continue;
        await this.add(job.id, step, step === 'submit' ? { recovered: true } : {});
        resumed += 1;
      } else if (!(await this.queue.getJob(stepId(job.id, 'prepare'))) && this.deps.now() - job.createdAt > INTAKE_GRACE_MS) {
        // Recorded but never handed over (or its prepare step never added): its process died while acknowledging.
        await lifecycle.fail(job.id, new UnavailableError(localized('error.restartedBeforeStart')));
        failed += 1;
      }
    }
    const { worker } = this;
    if (worker) {
      void worker.run().catch((error: unknown) => this.deps.logger.error({ err: error }, 'job queue worker stopped'));
      await withinMs(worker.waitUntilReady(), START_TIMEOUT_MS, 'Redis did not answer the job queue');
    } else {
      await withinMs(this.queue.waitUntilReady(), START_TIMEOUT_MS, 'Redis did not answer the job queue');
    }
    const settled = await settleFinishedJobs({ jobs, quota, lifecycle });
    return { resumed, failed, settled };
  }

  async ready(): Promise<boolean> {
    return withinMs(this.deps.connection.ping(), PING_TIMEOUT_MS, 'Redis did not answer a PING').then(
      (answer) => answer === 'PONG',
      () => false,
    );
  }

  /** Ends the steps under way (each hands itself back to the queue), then closes the connections. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopController.abort();
    // Each step under way hands itself back; with Redis gone that cannot happen, and the lock's expiry does it.
    await withinMs(Promise.all([this.worker?.close(), this.queue.close()]), STOP_TIMEOUT_MS, 'the job queue did not close').catch(() => undefined);
    this.deps.connection.disconnect();
    this.deps.workerConnection?.disconnect();
  }

  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  /**
   * Whether a step is under way or will come by itself: it exists and has not
   * failed, or the step before it has not finished (that one adds it). A step
   * BullMQ gave up on (its retries ran out while the store was down) is tried
   * again here: otherwise its id would stay taken and the job stuck.
   */
  private async stepIsHandled(jobId: string, step: JobStep): Promise<boolean> {
    const existing = await this.queue.getJob(stepId(jobId, step));
    if (existing) {
      if (await existing.isFailed()) await existing.retry('failed');
      return true;
    }
    const before = STEP_ORDER[STEP_ORDER.indexOf(step) - 1];
    const previous = before ? await this.queue.getJob(stepId(jobId, before)) : undefined;
    return previous !== undefined && !(await previous.isCompleted());
  }

  /** Adds a step; BullMQ drops it when a step with its id exists (waiting, running or finished). */
  private async add(jobId: string, step: JobStep, extra: Omit<StepData, 'jobId'> = {}): Promise<void> {
    await this.queue.add(step, { jobId, ...extra }, {
      jobId: stepId(jobId, step),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: KEEP_FINISHED_SECONDS },
      removeOnFail: { age: KEEP_FINISHED_SECONDS },
    });
  }

  private async runStep(queueJob: QueueJob<StepData>, token: string | undefined): Promise<void> {
    const { steps, lifecycle } = this.deps;
    const { jobs } = this.deps.recovery;
    const step = queueJob.name as JobStep;
    const job = await jobs.find(queueJob.data.jobId);
    if (!job) return;
    const due = nextStepOf(job.state);
    if (due !== step) {
      // The job moved on without the next step being added (its process died in between): add it now.
      if (due && STEP_ORDER.indexOf(due) > STEP_ORDER.indexOf(step)) await this.add(job.id, due);
      return;
    }
    const signal = this.stopController.signal;
    try {
      switch (step) {
        case 'prepare': {
          const prepared = await steps.prepare(job, signal);
          if (prepared) await this.add(job.id, 'submit');
          return;
        }
        case 'submit': {
          if (queueJob.attemptsStarted > 1 || queueJob.data.recovered) {
            lifecycle.log(job).warn('job died around its submit; fal may have run it without us (check the fal dashboard)');
            throw new UnavailableError(localized('error.restartedBeforeStart'));
          }
          const submitted = await steps.submit(job, signal);
          if (submitted) await this.add(job.id, 'track');
          return;
        }
        case 'track': {
          const delivering = await steps.track(job, signal);
          if (delivering) await this.add(job.id, 'deliver');
          else if (this.stopping) await this.handBack(queueJob, token);
          return;
        }
        case 'deliver':
          await steps.deliver(job, signal);
          return;
      }
    } catch (error) {
      if (error instanceof WaitingError) throw error;
      // Stopping aborted the step: another process does it again from the stored state.
      if (this.stopping && step !== 'submit') await this.handBack(queueJob, token);
      // A submit step fails its job only while fal cannot have it. Once the job
      // is submitted (the failure came after, e.g. adding the track step), the
      // step is tried again, sees the job submitted and adds the track step.
      const ended = await lifecycle.fail(job.id, error, step === 'submit' ? { onlyFrom: PRE_SUBMIT_STATES } : {});
      if (!ended && step === 'submit' && nextStepOf((await jobs.get(job.id)).state) === 'track') throw error;
    }
  }

  /** Back to the waiting list at once, for any process (no waiting for the lock to expire). */
  private async handBack(queueJob: QueueJob<StepData>, token: string | undefined): Promise<never> {
    await queueJob.moveToWait(token);
    throw new WaitingError();
  }
}

function stepId(jobId: string, step: JobStep): string {
  return `${jobId}_${step}`;
}
