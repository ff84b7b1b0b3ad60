import { estimate, type TypicalTimings } from './eta.js';
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
 * The phase an event's progress line shows, or undefined when the event calls
 * for none (the job ended: the last word is the messenger's, or nothing
 * changed that a member would see).
 */
export function progressPhaseOf(event: JobEvent): ProgressPhase | undefined {
  if (event.type === 'ended') return undefined;
  // A prepared job that moves to prepared again is a submit fal refused as busy, about to be retried.
  if (event.type === 'changed' && event.from === 'prepared' && event.job.state === 'prepared') return 'waitingForFal';
  return event.type === 'acknowledged' ? 'preparing' : PHASE_OF_STATE[event.job.state];
}

/** The progress line for an event that calls for one (progressPhaseOf), with the estimate from `typical`. */
export function progressViewFor(event: JobEvent, now: number, typical: TypicalTimings): ProgressView | undefined {
  const phase = progressPhaseOf(event);
  if (!phase) return undefined;
  const { job } = event;
  return {
    phase,
    queuePosition: job.queuePosition,
    elapsedMs: now - job.createdAt,
    // Once fal is done there is nothing left to estimate: the video is being fetched.
    // While fal refuses the job there is no telling when it will take it.
    estimate: phase === 'delivering' || phase === 'waitingForFal' ? null : estimate({ ...job, phase }, typical, now),
    lastLog: job.lastLog,
    cancellable: isCancellable(job.state),
    ...(event.type === 'acknowledged' ? { reservation: event.reservation } : {}),
  };
}
