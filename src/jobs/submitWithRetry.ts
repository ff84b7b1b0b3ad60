import { UnavailableError, UpstreamError } from '../errors.js';
import type { FalGateway } from '../fal/falGateway.js';
import { localized } from '../i18n/text.js';
import type { Clock } from '../util/clock.js';
import { sleep } from '../util/sleep.js';
import type { Job } from './job.js';
import type { JobLifecycle } from './lifecycle.js';

export interface SubmitRetryDeps {
  fal: Pick<FalGateway, 'submit'>;
  lifecycle: Pick<JobLifecycle, 'move' | 'log'>;
  now: Clock;
  /** How long to keep trying while fal says it is busy; 0 tries once. */
  retryForMs: number;
  signal: AbortSignal;
  /** First wait when fal gives no Retry-After; doubled each time (tests shorten it). */
  firstBackoffMs?: number;
}

const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Submits a prepared job, trying again while fal answers that it did not
 * queue it: 429, or 503 with Retry-After (PROTOCOLS.md §2). Each wait honours
 * Retry-After (else backs off exponentially) and tells the member the bot is
 * waiting for fal. Any other failure, and above all one whose outcome is
 * unknown (fal may have queued and will bill it), is thrown at once: the
 * gateway's one-POST-per-attempt rule stays whole. After `retryForMs` the
 * job fails with "fal is busy" and is refunded by the caller's failure path.
 */
export async function submitWithRetry(
  job: Job,
  endpointId: string,
  input: Record<string, unknown>,
  deps: SubmitRetryDeps,
): Promise<{ requestId: string }> {
  const giveUpAt = deps.now() + deps.retryForMs;
  let backoffMs = deps.firstBackoffMs ?? FIRST_BACKOFF_MS;
  let current = job;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await deps.fal.submit(endpointId, input);
    } catch (error) {
      if (!saysNotQueued(error)) throw error;
      const waitMs = Math.min(error.retryAfterMs ?? backoffMs, MAX_BACKOFF_MS);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      if (deps.retryForMs === 0) throw error;
      if (deps.now() + waitMs > giveUpAt) {
        throw new UpstreamError(localized('fal.busyGaveUp', { minutes: Math.max(1, Math.round(deps.retryForMs / 60_000)) }), 'fal_busy', {
          cause: error,
          logMessage: `fal stayed busy for ${Math.round(deps.retryForMs / 1000)} s (${attempt} submits refused)`,
        });
      }
      deps.lifecycle.log(current).info({ attempt, waitMs, code: error.code }, 'fal is busy; submitting again after a wait');
      current = await deps.lifecycle.move(current, 'prepared', {}, `fal busy (${error.code}); retry ${attempt}`);
      await sleep(waitMs, deps.signal);
      if (deps.signal.aborted) throw new UnavailableError(localized('error.restarting'));
    }
  }
}

/** A 429, or a 503 that says when to come back: fal did not queue the job, so sending it again is safe. */
function saysNotQueued(error: unknown): error is UpstreamError {
  if (!(error instanceof UpstreamError) || error.code === 'submit_outcome_unknown') return false;
  if (error.code === 'rate_limited') return true;
  return error.retryAfterMs !== undefined && error.retryable;
}
