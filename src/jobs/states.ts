/**
 * The job state machine, in one table. Every transition is one store write
 * (see JobRepository.transition); anything not listed here throws.
 *
 * received → validated → reserved → prepared → submitted → queued → running →
 * delivering → delivered, and failed / cancelled from any unfinished state.
 */
export const JOB_STATES = [
  'received',
  'validated',
  'reserved',
  'prepared',
  'submitted',
  'queued',
  'running',
  'delivering',
  'delivered',
  'failed',
  'cancelled',
] as const;

export type JobState = (typeof JOB_STATES)[number];

const TERMINAL_STATES: readonly JobState[] = ['delivered', 'failed', 'cancelled'];

const forward: Record<JobState, readonly JobState[]> = {
  received: ['validated'],
  validated: ['reserved'],
  reserved: ['prepared'],
  // prepared → prepared: fal said it is busy and the submit is tried again (submitWithRetry.ts).
  prepared: ['prepared', 'submitted'],
  // fal may report any later phase on the first poll (a short queue, a fast job).
  submitted: ['queued', 'running', 'delivering'],
  queued: ['queued', 'running', 'delivering'],
  // fal puts a job back in line when its runner fails (and retries it up to 10 times).
  running: ['running', 'queued', 'delivering'],
  delivering: ['delivered'],
  delivered: [],
  failed: [],
  cancelled: [],
};

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function canTransition(from: JobState, to: JobState): boolean {
  if (isTerminal(from)) return false;
  if (to === 'failed' || to === 'cancelled') return true;
  return forward[from].includes(to);
}

/** States from which `to` may be reached: the guard of a compare-and-set update. */
export function statesLeadingTo(to: JobState): JobState[] {
  return JOB_STATES.filter((from) => canTransition(from, to));
}

/** A job holding a fal request id: tracking resumes after a restart. */
export const TRACKED_STATES: readonly JobState[] = ['submitted', 'queued', 'running', 'delivering'];
/** A job that never reached fal: a restart fails it (nothing was paid). */
export const PRE_SUBMIT_STATES: readonly JobState[] = ['received', 'validated', 'reserved', 'prepared'];

/**
 * States in which the Cancel button is offered: fal has not started the job.
 * In 'prepared' the submit may be on the wire, so Cancel answers "try again in
 * a moment" rather than refund a job fal will run (JobIntake.cancel).
 */
const CANCELLABLE_STATES: readonly JobState[] = ['received', 'validated', 'reserved', 'prepared', 'submitted', 'queued'];

export function isCancellable(state: JobState): boolean {
  return CANCELLABLE_STATES.includes(state);
}

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly jobId: string,
    readonly from: string,
    readonly to: JobState,
  ) {
    super(`Job ${jobId}: illegal transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}
