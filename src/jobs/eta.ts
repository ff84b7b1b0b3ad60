import type { ModelTimings } from '../fal/models/videoModel.js';

export interface EtaInput {
  phase: 'queued' | 'running' | 'other';
  queuePosition: number | null;
  runningForMs: number;
  resolution: string;
  durationSeconds: number;
}

/**
 * Time left in ms from the model's typical timings, or null when past the
 * typical time (better to say nothing than lie).
 */
export function estimateRemainingMs(timings: ModelTimings, input: EtaInput): number | null {
  const run = timings.runSeconds(input.resolution, input.durationSeconds) * 1000;
  if (input.phase === 'queued') {
    // Each job ahead of us holds a slot for about one run; fal runs a few at once.
    const ahead = Math.max(0, input.queuePosition ?? 0);
    return run + Math.ceil(ahead / timings.parallelRuns) * run;
  }
  if (input.phase === 'running') {
    const left = run - input.runningForMs;
    return left > 0 ? left : null;
  }
  return run;
}
