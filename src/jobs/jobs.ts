import type { Logger } from 'pino';
import type { FalGateway } from '../fal/falGateway.js';
import type { ModelRegistry } from '../fal/models/registry.js';
import type { QuotaService } from '../quota/quotaTypes.js';
import type { Clock } from '../util/clock.js';
import type { JobEvents } from './events.js';
import { JobIntake } from './intake.js';
import type { JobRepository } from './jobRepository.js';
import { JobLifecycle } from './lifecycle.js';
import { recoverJobs, type RecoveryReport } from './recovery.js';
import { JobRunner, type JobRunnerDeps } from './runner.js';
import type { VideoCourier } from './types.js';

export interface JobsDeps {
  config: JobRunnerDeps['config'];
  jobs: JobRepository;
  fal: FalGateway;
  models: ModelRegistry;
  quota: QuotaService;
  events: JobEvents;
  courier: VideoCourier;
  ffmpeg: JobRunnerDeps['ffmpeg'];
  logger: Logger;
  now: Clock;
}

/** The jobs part as the rest of the bot uses it: intake, runner and recovery wired together. */
export interface Jobs {
  readonly start: JobIntake['start'];
  readonly cancel: JobIntake['cancel'];
  /** Ends a job as failed (refunding it) when its interaction could not be answered. */
  readonly fail: JobLifecycle['fail'];
  /** After a restart: see recovery.ts. */
  resume(startedAt: number): Promise<RecoveryReport>;
  readonly stopping: boolean;
  stop(): Promise<void>;
  idle(): Promise<void>;
}

export function createJobs(deps: JobsDeps): Jobs {
  const lifecycle = new JobLifecycle(deps);
  const runner = new JobRunner({ ...deps, lifecycle });
  const intake = new JobIntake({ ...deps, lifecycle, runner });
  return {
    start: (...args) => intake.start(...args),
    cancel: (...args) => intake.cancel(...args),
    fail: (...args) => lifecycle.fail(...args),
    resume: (startedAt) => recoverJobs(startedAt, { ...deps, lifecycle, runner }),
    get stopping() {
      return runner.stopping;
    },
    stop: () => runner.stop(),
    idle: () => runner.idle(),
  };
}
