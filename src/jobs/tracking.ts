import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { UpstreamError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import type { VideoModel } from '../fal/models/videoModel.js';
import { localized, type LocalizedText } from '../i18n/text.js';
import type { QueueStatus } from '../fal/queueStatus.js';
import type { Clock } from '../util/clock.js';
import { sleep } from '../util/sleep.js';
import type { FalHints } from './falHints.js';
import type { Job } from './job.js';
import type { JobLifecycle } from './lifecycle.js';

/** How long to keep trying to read the result of a job fal finished. */
const RESULT_PATIENCE_MS = 10 * 60_000;
/** A status stream is reopened this often, so a job fal never speaks of still meets its deadlines. */
const STREAM_WINDOW_MS = 5 * 60_000;

export interface TrackingDeps {
  config: Pick<Config, 'pollIntervalMs' | 'jobMaxWaitMs' | 'queueMaxWaitMs' | 'statusMode'>;
  fal: FalGateway;
  lifecycle: JobLifecycle;
  now: Clock;
  signal: AbortSignal;
  /** When to ask fal next (webhook mode); otherwise fal's status stream or a poll every `pollIntervalMs` (config.statusMode). */
  pacer?: StatusPacer;
}

/** Decides when the tracker asks fal for a job's status. */
export interface StatusPacer {
  /** Whether to ask at once when tracking starts; false waits first (fal will call when there is news). */
  asksFirst(job: Job): boolean;
  /** Resolves when it is time to ask again, or when `signal` aborts. */
  wait(requestId: string, signal: AbortSignal): Promise<void>;
  /** Tracking of this request ended: stop listening for it. */
  done(requestId: string): void;
}

/** Asks fal every `intervalMs`: the mode without a public URL. */
export function pollingPacer(intervalMs: number): StatusPacer {
  return { asksFirst: () => true, wait: (_requestId, signal) => sleep(intervalMs, signal), done: () => undefined };
}

/**
 * Waits for fal's webhook (a hint, confirmed by one status read) or the slow
 * safety poll, whichever comes first: a few fal calls per job instead of one
 * every poll interval, and no lost job when a webhook never arrives.
 */
export function webhookPacer(hints: FalHints, safetyPollMs: number): StatusPacer {
  return {
    // Just submitted, fal has nothing to say yet; after a restart, ask at once.
    asksFirst: (job) => job.state !== 'submitted',
    async wait(requestId, signal) {
      hints.watch(requestId);
      await hints.wait(requestId, safetyPollMs, signal);
    },
    done: (requestId) => hints.unwatch(requestId),
  };
}

/**
 * Follows a submitted job at fal until it completes, moving it through
 * queued/running as fal reports. Returns the job once fal says COMPLETED, or
 * undefined when the bot is stopping (the next start picks it up). A status
 * read costs nothing, so failed reads are retried until the job's deadline
 * (unless fal says retrying cannot help); the deadlines apply only to a job
 * fal has not finished, so a restart after a long outage still collects a
 * video that was made meanwhile.
 */
export async function trackUntilComplete(job: Job, model: VideoModel, deps: TrackingDeps): Promise<Job | undefined> {
  const requestId = job.requestId;
  if (!requestId) throw new Error(`job ${job.id} has no request id to track`);
  if (!deps.pacer && deps.config.statusMode === 'stream') return followStream(job, requestId, model, deps);
  const pacer = deps.pacer ?? pollingPacer(deps.config.pollIntervalMs);
  try {
    if (!pacer.asksFirst(job)) await pacer.wait(requestId, deps.signal);
    return await followStatus(job, requestId, model, pacer, deps);
  } finally {
    pacer.done(requestId);
  }
}

async function followStatus(job: Job, requestId: string, model: VideoModel, pacer: StatusPacer, deps: TrackingDeps): Promise<Job | undefined> {
  const { signal } = deps;
  let current = job;
  while (!signal.aborted) {
    const step = await applyStatus(current, requestId, model, await readStatusIfAnswered(current, requestId, model, deps), deps);
    if (step.completed) return step.job;
    current = step.job;
    await pacer.wait(requestId, signal);
  }
  return undefined;
}

/**
 * Follows fal's status stream: each event is applied as it arrives, so the
 * video is fetched the moment fal says COMPLETED instead of at the next poll.
 * The stream is reopened after STREAM_WINDOW_MS (so the deadlines are checked
 * even when fal has nothing to say) and, after a pause of one poll interval
 * and one status read, when it breaks off or fal closes it early.
 */
async function followStream(job: Job, requestId: string, model: VideoModel, deps: TrackingDeps): Promise<Job | undefined> {
  const { fal, lifecycle, signal } = deps;
  let current = job;
  let completed = false;
  while (!signal.aborted) {
    const window = AbortSignal.any([signal, AbortSignal.timeout(STREAM_WINDOW_MS)]);
    // Events arrive faster than store writes finish: apply them one after another.
    let applying = Promise.resolve();
    let failure: unknown;
    const onStatus = (status: QueueStatus) => {
      applying = applying.then(async () => {
        if (completed || failure !== undefined) return;
        try {
          const step = await applyStatus(current, requestId, model, status, deps);
          current = step.job;
          completed = step.completed;
        } catch (error) {
          failure = error;
        }
      });
    };
    let broken: unknown;
    try {
      await fal.watchStatus(model.endpointId, requestId, onStatus, window);
    } catch (error) {
      broken = error;
    }
    await applying;
    if (failure !== undefined) throw failure;
    if (completed) return current;
    if (window.aborted && !signal.aborted) continue; // the window closed: listen again at once
    if (broken !== undefined) {
      if (!(broken instanceof UpstreamError && broken.retryable)) throw broken;
      lifecycle.log(current).warn({ err: broken }, 'fal status stream broke off; opening it again shortly');
    }
    // Broken, or closed by fal without COMPLETED: pause, then read the status once
    // (deadlines apply even when the stream cannot be opened) before listening again.
    await sleep(deps.config.pollIntervalMs, signal);
    if (signal.aborted) break;
    const step = await applyStatus(current, requestId, model, await readStatusIfAnswered(current, requestId, model, deps), deps);
    if (step.completed) return step.job;
    current = step.job;
  }
  return undefined;
}

/**
 * fal's status, or undefined when the read failed for a passing reason (a
 * status read costs nothing: the next one will do); other failures are thrown.
 */
async function readStatusIfAnswered(job: Job, requestId: string, model: VideoModel, deps: TrackingDeps): Promise<QueueStatus | undefined> {
  try {
    return await deps.fal.status(model.endpointId, requestId);
  } catch (error) {
    if (!(error instanceof UpstreamError && error.retryable)) throw error;
    deps.lifecycle.log(job).warn({ err: error }, 'fal status check failed; asking again later');
    return undefined;
  }
}

/**
 * One status from fal applied to the job: deadlines first (a job waiting too
 * long is cancelled and failed), then queued/running as fal says. `status`
 * undefined is a read that failed for a passing reason: only the deadlines apply.
 */
async function applyStatus(
  job: Job,
  requestId: string,
  model: VideoModel,
  status: QueueStatus | undefined,
  deps: TrackingDeps,
): Promise<{ job: Job; completed: boolean }> {
  const { fal, config, now, lifecycle } = deps;
  if (status?.status === 'COMPLETED') return { job, completed: true };

  const waitedMs = now() - (job.submittedAt ?? job.createdAt);
  if (waitedMs > config.jobMaxWaitMs) {
    await fal.cancel(model.endpointId, requestId).catch(() => undefined);
    throw new UpstreamError(localized('error.maxWait', { limit: formatMinutes(config.jobMaxWaitMs) }), 'max_wait_exceeded');
  }
  if (status?.status !== 'IN_PROGRESS' && job.state !== 'running' && waitedMs > config.queueMaxWaitMs) {
    // Only a job still in line can be cancelled; if fal started it meanwhile, keep tracking.
    const cancelled = await fal.cancel(model.endpointId, requestId).then(
      () => true,
      () => false,
    );
    if (cancelled) {
      throw new UpstreamError(localized('error.queueTimeout', { limit: formatMinutes(config.queueMaxWaitMs) }), 'queue_timeout');
    }
  }

  if (status?.status === 'IN_QUEUE') {
    // Also after running: fal puts a job back in line when its runner fails.
    return { job: await lifecycle.move(job, 'queued', { queuePosition: status.queue_position ?? null }), completed: false };
  }
  if (status?.status === 'IN_PROGRESS') {
    const lastLog = status.logs?.at(-1)?.message ?? job.lastLog;
    const running = await lifecycle.move(job, 'running', {
      lastLog: lastLog ?? null,
      startedAt: job.startedAt ?? now(),
      queuePosition: null,
    });
    return { job: running, completed: false };
  }
  return { job, completed: false };
}

/**
 * The result of a job fal finished: it is paid for, so a passing failure to
 * read it (network, 502/503, or fal saying retry) is retried with backoff
 * for a while. The model's own failures (422, 500, 504) end the job.
 * Undefined when the bot is stopping (the next start collects it).
 */
export async function readResult(job: Job, model: VideoModel, deps: TrackingDeps & { log: Logger }): Promise<{ data: unknown } | undefined> {
  const requestId = job.requestId ?? '';
  const giveUpAt = deps.now() + RESULT_PATIENCE_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { data: await deps.fal.result(model.endpointId, requestId) };
    } catch (error) {
      const retryable = error instanceof UpstreamError && error.retryable;
      if (!retryable || deps.now() >= giveUpAt) throw error;
      deps.log.warn({ err: error, attempt }, 'could not read the result from fal; trying again');
      await sleep(Math.min(30_000, deps.config.pollIntervalMs * 2 ** attempt), deps.signal);
      if (deps.signal.aborted) return undefined;
    }
  }
}

function formatMinutes(ms: number): LocalizedText {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1 ? localized('time.minutes', { count: minutes }) : localized('time.seconds', { count: Math.round(ms / 1000) });
}
