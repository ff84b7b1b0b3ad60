import type { ModelTimings } from '../fal/models/videoModel.js';
import type { JobTiming, TimingKind } from './job.js';

/** Deliveries of one kind the store must hold before their times replace the model's own figures. */
export const MIN_HISTORY_SAMPLES = 5;
/** How many of the latest deliveries of a kind the estimate looks at: recent enough to follow fal's load. */
export const HISTORY_SAMPLE_SIZE = 50;
/** A bar never reaches 100 % before the video is there. */
const MAX_FRACTION = 0.99;

/** How long a job of one kind usually spends in fal's line and being made. */
export interface TypicalTimings {
  queueMs: number;
  runMs: number;
  /** Jobs fal runs at once: how fast a line ahead of us moves. */
  parallelRuns: number;
  /** 'history': the median of recent deliveries; 'model': the model's published figures (too little history yet). */
  basis: 'history' | 'model';
}

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : Math.round(((sorted[middle - 1] ?? upper) + upper) / 2);
}

/**
 * The timings to expect for a kind of job: the medians of its recent
 * deliveries once there are enough of them (a median, so one stuck job does
 * not skew every estimate), the model's own figures before. The model
 * publishes no queue time: until history says otherwise we expect fal to
 * start at once, and a place in line, once fal gives one, adds to it.
 */
export function typicalTimings(samples: readonly JobTiming[], timings: ModelTimings, kind: Pick<TimingKind, 'resolution' | 'durationSeconds'>): TypicalTimings {
  const { parallelRuns } = timings;
  if (samples.length >= MIN_HISTORY_SAMPLES) {
    return {
      queueMs: median(samples.map((sample) => sample.queueMs)) ?? 0,
      runMs: median(samples.map((sample) => sample.runMs)) ?? 0,
      parallelRuns,
      basis: 'history',
    };
  }
  return { queueMs: 0, runMs: timings.runSeconds(kind.resolution, kind.durationSeconds) * 1000, parallelRuns, basis: 'model' };
}

/** Where a job stands, as far as the estimate cares. */
export interface EstimateInput {
  /** 'preparing': fal does not have the job yet (the bot checks and uploads the picture). */
  phase: 'preparing' | 'queued' | 'running';
  createdAt: number;
  submittedAt: number | null;
  startedAt: number | null;
  /** fal's place in line (0: next), when it gave one. */
  queuePosition: number | null;
}

export interface Estimate {
  /** When the video should be ready (epoch ms); null once the job has run longer than is typical. */
  doneAt: number | null;
  /** Share of the expected total time already behind, 0–0.99. */
  fraction: number;
}

/**
 * When a job should be done, from its phase and the typical timings, revised
 * at every step: in line, each place ahead holds a slot for about one run
 * (fal runs `parallelRuns` at once); without a place, what is left of the
 * typical wait; running, the typical run from when it started. A job running
 * past the typical time gets no date (better to say nothing than lie).
 */
export function estimate(input: EstimateInput, typical: TypicalTimings, now: number): Estimate {
  const elapsedMs = Math.max(0, now - input.createdAt);
  let leftMs: number | null;
  switch (input.phase) {
    case 'preparing':
      leftMs = typical.queueMs + typical.runMs;
      break;
    case 'queued': {
      const queueLeftMs =
        input.queuePosition !== null
          ? Math.ceil(Math.max(0, input.queuePosition) / Math.max(1, typical.parallelRuns)) * typical.runMs
          : Math.max(0, typical.queueMs - (now - (input.submittedAt ?? now)));
      leftMs = queueLeftMs + typical.runMs;
      break;
    }
    case 'running': {
      const left = (input.startedAt ?? now) + typical.runMs - now;
      leftMs = left > 0 ? left : null;
      break;
    }
  }
  if (leftMs === null) return { doneAt: null, fraction: MAX_FRACTION };
  const totalMs = elapsedMs + leftMs;
  return { doneAt: now + leftMs, fraction: totalMs > 0 ? Math.min(MAX_FRACTION, elapsedMs / totalMs) : 0 };
}
