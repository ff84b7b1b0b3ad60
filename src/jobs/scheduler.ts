import type { Job } from './job.js';
import type { RecoveryReport } from './recovery.js';

/**
 * Where a job's steps (steps.ts) run: in this process (runner.ts, the
 * embedded default) or as BullMQ jobs any process may take (src/queue, with
 * REDIS_URL). The intake hands every reserved job to one of these.
 */
export interface JobScheduler {
  /** A reserved job, from its first step. Returns once the job is handed over, not when it ends. */
  run(job: Job): Promise<void>;
  /** After a (re)start: takes over what earlier processes left, per recovery.ts or the queue's own recovery. */
  resume(startedAt: number): Promise<RecoveryReport>;
  /** Whether the scheduler can take work (the queue's Redis answers); /readyz reads it. */
  ready(): Promise<boolean>;
  readonly stopping: boolean;
  /** Stops taking steps and ends those under way; unfinished jobs stay for the next start or another process. */
  stop(): Promise<void>;
  /** Waits until this process works on no job (tests and the demo). */
  idle(): Promise<void>;
}
