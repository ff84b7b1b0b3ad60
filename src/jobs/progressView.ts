import type { ModelRegistry } from '../fal/models/registry.js';
import { estimateRemainingMs } from './eta.js';
import type { JobEvent } from './events.js';
import type { Job } from './job.js';
import { isCancellable } from './states.js';
import type { ProgressPhase, ProgressView } from './types.js';

/** What the member's progress line shows in each state that has one. */
const PHASE_OF_STATE: Partial<Record<Job['state'], ProgressPhase>> = {
  queued: 'queued',
  running: 'running',
  delivering: 'delivering',
};

/**
 * The progress line an event calls for, or undefined when it calls for none
 * (the job ended: the last word is the messenger's, or nothing changed that
 * a member would see).
 */
export function progressViewFor(event: JobEvent, now: number, models: ModelRegistry): ProgressView | undefined {
  if (event.type === 'ended') return undefined;
  const phase = event.type === 'acknowledged' ? 'preparing' : PHASE_OF_STATE[event.job.state];
  if (!phase) return undefined;
  const { job } = event;
  const model = models.get(job.model);
  const etaMs =
    phase === 'queued' || phase === 'running'
      ? estimateRemainingMs(model.timings, {
          phase,
          queuePosition: job.queuePosition,
          runningForMs: job.startedAt ? now - job.startedAt : 0,
          resolution: job.resolution,
          durationSeconds: job.durationSeconds,
        })
      : null;
  return {
    phase,
    queuePosition: job.queuePosition,
    elapsedMs: now - job.createdAt,
    etaMs,
    lastLog: job.lastLog,
    cancellable: isCancellable(job.state),
    ...(event.type === 'acknowledged' ? { reservation: event.reservation } : {}),
  };
}
