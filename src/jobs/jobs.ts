import type { Logger } from 'pino';
import type { FalGateway } from '../fal/falGateway.js';
import type { ModelRegistry } from '../fal/models/registry.js';
import type { QuotaService } from '../quota/quotaTypes.js';
import type { Clock } from '../util/clock.js';
import type { JobEvents } from './events.js';
import { extensionOffer, extensionRequest, type ExtensionAsker, type ExtensionOffer } from './extension.js';
import { JobIntake } from './intake.js';
import type { Job } from './job.js';
import type { JobRepository } from './jobRepository.js';
import { JobLifecycle } from './lifecycle.js';
import type { RecoveryDeps, RecoveryReport } from './recovery.js';
import { JobRunner } from './runner.js';
import type { JobScheduler } from './scheduler.js';
import { JobSteps, type JobStepsDeps } from './steps.js';
import type { StatusPacer } from './tracking.js';
import type { VideoCourier } from './types.js';

export interface JobsDeps {
  config: JobStepsDeps['config'];
  jobs: JobRepository;
  fal: FalGateway;
  models: ModelRegistry;
  quota: QuotaService;
  events: JobEvents;
  courier: VideoCourier;
  ffmpeg: JobStepsDeps['ffmpeg'];
  logger: Logger;
  now: Clock;
  submitBackoffMs?: number;
  pacer?: StatusPacer;
  /** Where the steps run; the embedded default runs them in this process (runner.ts). */
  scheduler?: (parts: SchedulerParts) => JobScheduler;
}

/** What a scheduler is built from. */
export interface SchedulerParts {
  steps: JobSteps;
  lifecycle: JobLifecycle;
  recovery: Omit<RecoveryDeps, 'lifecycle' | 'follow'>;
}

/** The jobs part as the rest of the bot uses it: intake, runner and recovery wired together. */
export interface Jobs {
  readonly start: JobIntake['start'];
  readonly cancel: JobIntake['cancel'];
  /** A job as stored, or undefined when it no longer exists (the buttons under a finished video). */
  find(jobId: string): Promise<Job | undefined>;
  /** What extending a finished video would cost and give; throws a sentence for the member when it cannot be extended. */
  offerExtension(jobId: string): Promise<ExtensionOffer>;
  /** Starts a new paid job that continues a finished video from its last frame (see extension.ts), like start(). */
  extend(jobId: string, prompt: string, asker: ExtensionAsker, ...rest: StartRest): Promise<Job>;
  /** Ends a job as failed (refunding it) when its interaction could not be answered. */
  readonly fail: JobLifecycle['fail'];
  /** After a restart: see recovery.ts (in-process) or the queue's own recovery (src/queue). */
  resume(startedAt: number): Promise<RecoveryReport>;
  /** Whether jobs can be scheduled (the queue's Redis answers in scale-out mode). */
  ready(): Promise<boolean>;
  readonly stopping: boolean;
  stop(): Promise<void>;
  idle(): Promise<void>;
}

/** start()'s arguments after the request: where to reply, who asks, how to acknowledge. */
type StartRest = Parameters<JobIntake['start']> extends [unknown, ...infer Rest] ? Rest : never;

export function createJobs(deps: JobsDeps): Jobs {
  const lifecycle = new JobLifecycle(deps);
  const parts: SchedulerParts = { steps: new JobSteps({ ...deps, lifecycle }), lifecycle, recovery: { jobs: deps.jobs, quota: deps.quota } };
  const scheduler = deps.scheduler ? deps.scheduler(parts) : new JobRunner(parts);
  const intake = new JobIntake({ ...deps, lifecycle, scheduler });
  const offerExtension = async (jobId: string): Promise<ExtensionOffer> => {
    const parent = await deps.jobs.find(jobId);
    return extensionOffer(parent, parent && deps.models.all.find((model) => model.id === parent.model), deps.ffmpeg !== undefined);
  };
  return {
    start: (...args) => intake.start(...args),
    cancel: (...args) => intake.cancel(...args),
    find: (jobId) => deps.jobs.find(jobId),
    offerExtension,
    async extend(jobId, prompt, asker, ...rest) {
      const offer = await offerExtension(jobId);
      return intake.start(extensionRequest(offer, deps.models.get(offer.parent.model), prompt, asker), ...rest);
    },
    fail: (...args) => lifecycle.fail(...args),
    resume: (startedAt) => scheduler.resume(startedAt),
    ready: () => scheduler.ready(),
    get stopping() {
      return scheduler.stopping;
    },
    stop: () => scheduler.stop(),
    idle: () => scheduler.idle(),
  };
}
