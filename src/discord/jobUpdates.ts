import type { ModelRegistry } from '../fal/models/registry.js';
import type { JobEvents } from '../jobs/events.js';
import { progressViewFor } from '../jobs/progressView.js';
import type { Clock } from '../util/clock.js';
import type { JobMessenger } from './jobMessenger.js';

/**
 * The member's view of job events: a progress line while the job moves, and
 * the last word when it failed or was cancelled (a delivery is the runner's
 * own call to the messenger, since it must know whether it arrived).
 */
export function showJobUpdatesToMembers(events: JobEvents, messenger: JobMessenger, models: ModelRegistry, now: Clock): () => void {
  return events.subscribe(async (event) => {
    if (event.type === 'ended') {
      const { job, outcome } = event;
      if (!outcome.notifyMember) return;
      if (job.state === 'cancelled') await messenger.cancelled(job, outcome.cancelledBy ?? job.userId);
      else if (job.state === 'failed') await messenger.failed(job, outcome.memberMessage ?? '');
      return;
    }
    const view = progressViewFor(event, now(), models);
    if (view) messenger.progress(event.job, view);
  });
}
