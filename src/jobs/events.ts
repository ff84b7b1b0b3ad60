import type { Logger } from 'pino';
import type { Reservation } from '../quota/quotaTypes.js';
import type { Job } from './job.js';
import type { JobState } from './states.js';

/** How a job ended, decided once by whoever ended it. */
export interface JobOutcome {
  /** Whether the member paid: a delivered video, or one fal made that could not be handed over. */
  charged: boolean;
  /** What the member is told (null for a delivery: the video speaks for itself). */
  memberMessage: string | null;
  /** False when nobody is listening yet (the interaction was never acknowledged). */
  notifyMember: boolean;
  /** Who pressed Cancel, for a cancelled job. */
  cancelledBy?: string;
  /** The quota rule that refused the job (QuotaError.rule), for a job a quota stopped. */
  refusedBy?: string;
}

/**
 * Everything that happens to a job, published once, in order, to every
 * subscriber (the messenger today; metrics, audit, other processes later).
 * Nothing in the pipeline calls a subscriber directly.
 */
export type JobEvent =
  /** The member's reply exists now (deferred): the first moment anything can be shown. */
  | { type: 'acknowledged'; job: Job; reservation: Reservation; at: number }
  /** A store write moved the job (`from` may equal `to`: a new queue position or log line). */
  | { type: 'changed'; job: Job; from: JobState; at: number }
  /** The job reached delivered, failed or cancelled; exactly one such event per job. */
  | { type: 'ended'; job: Job; from: JobState; outcome: JobOutcome; at: number };

export type JobEventListener = (event: JobEvent) => void | Promise<void>;

export interface JobEvents {
  subscribe(listener: JobEventListener): () => void;
  /** Resolves when every subscriber has seen the event; a subscriber's failure is logged, never thrown. */
  publish(event: JobEvent): Promise<void>;
}

export function createJobEvents(logger: Logger): JobEvents {
  const listeners = new Set<JobEventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(event) {
      await Promise.all(
        [...listeners].map(async (listener) => {
          try {
            await listener(event);
          } catch (error) {
            logger.warn({ err: error, jobId: event.job.id, event: event.type }, 'a job event subscriber failed');
          }
        }),
      );
    },
  };
}
