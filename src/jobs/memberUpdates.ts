import type { Clock } from '../util/clock.js';
import type { JobEvents } from './events.js';
import type { Job } from './job.js';
import { progressPhaseOf, progressViewFor } from './progressView.js';
import type { TimingHistory } from './timingHistory.js';
import type { ProgressView } from './types.js';

/** What the member reads about a job besides the video itself; implemented by src/discord. */
export interface MemberNotifier {
  /** Fire and forget: implementations throttle and drop stale views. */
  progress(job: Job, view: ProgressView): void;
  failed(job: Job, memberMessage: string): Promise<void>;
  cancelled(job: Job, cancelledBy: string): Promise<void>;
}

/**
 * Subscribes the member's view to job events: a progress line while the job
 * moves, and the last word when it failed or was cancelled (a delivery is the
 * runner's own call to the courier, since it must know whether it arrived).
 */
export function keepMembersInformed(
  events: JobEvents,
  notifier: MemberNotifier,
  timings: Pick<TimingHistory, 'typicalFor'>,
  now: Clock,
): () => void {
  return events.subscribe(async (event) => {
    if (event.type === 'ended') {
      const { job, outcome } = event;
      if (!outcome.notifyMember) return;
      if (job.state === 'cancelled') await notifier.cancelled(job, outcome.cancelledBy ?? job.userId);
      else if (job.state === 'failed') await notifier.failed(job, outcome.memberMessage ?? '');
      return;
    }
    if (!progressPhaseOf(event)) return;
    // From memory, except the first time a kind of job is seen since the start.
    const typical = await timings.typicalFor(event.job);
    const view = progressViewFor(event, now(), typical);
    if (view) notifier.progress(event.job, view);
  });
}
