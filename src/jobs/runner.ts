import type { Job } from './job.js';
import type { JobLifecycle } from './lifecycle.js';
import { recoverJobs, type RecoveryDeps, type RecoveryReport } from './recovery.js';
import type { JobScheduler } from './scheduler.js';
import { nextStepOf, type JobSteps } from './steps.js';

export interface JobRunnerDeps {
  steps: JobSteps;
  lifecycle: JobLifecycle;
  recovery: Omit<RecoveryDeps, 'lifecycle' | 'follow'>;
}

/**
 * The embedded default scheduler: runs each job's steps one after another in
 * this process, in the background. `stop()` ends every loop and leaves jobs in
 * the store; the next start fails those that had not reached fal and follows
 * the rest (recovery.ts).
 */
export class JobRunner implements JobScheduler {
  private readonly running = new Set<Promise<void>>();
  private readonly stopController = new AbortController();

  constructor(private readonly deps: JobRunnerDeps) {}

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  run(job: Job): Promise<void> {
    this.background(job);
    return Promise.resolve();
  }

  resume(startedAt: number): Promise<RecoveryReport> {
    return recoverJobs(startedAt, { ...this.deps.recovery, lifecycle: this.deps.lifecycle, follow: (job) => this.background(job) });
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.allSettled([...this.running]);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private background(job: Job): void {
    const { lifecycle } = this.deps;
    const task = this.runSteps(job)
      .catch(async (error: unknown) => {
        await lifecycle.fail(job.id, error);
      })
      .catch((error: unknown) => lifecycle.log({ id: job.id, guildId: null, requestId: null }).error({ err: error }, 'job failed and could not be settled'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** From the job's state to the end, or until stopping (a step then answers undefined). */
  private async runSteps(job: Job): Promise<void> {
    const { steps } = this.deps;
    const signal = this.stopController.signal;
    let current: Job | undefined = job;
    while (current) {
      switch (nextStepOf(current.state)) {
        case 'prepare':
          current = await steps.prepare(current, signal);
          break;
        case 'submit':
          current = await steps.submit(current, signal);
          break;
        case 'track':
          current = await steps.track(current, signal);
          break;
        case 'deliver':
          await steps.deliver(current, signal);
          return;
        case undefined:
          return;
      }
    }
  }
}
