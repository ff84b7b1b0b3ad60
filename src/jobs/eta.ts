import type { DurationSeconds, Resolution } from '../config/config.js';

/**
 * A deliberately simple estimate of how long fal takes, from the model page
 * ("1–3 minutes, longer for 10 s videos"). Good enough for a progress line;
 * replace the table with measured medians once there is traffic.
 */
const RUN_SECONDS: Record<DurationSeconds, Record<Resolution, number>> = {
  '5': { '480p': 60, '720p': 90, '1080p': 120 },
  '10': { '480p': 100, '720p': 150, '1080p': 200 },
};

export function typicalRunMs(resolution: Resolution, duration: DurationSeconds): number {
  return RUN_SECONDS[duration][resolution] * 1000;
}

export interface EtaInput {
  phase: 'queued' | 'running' | 'other';
  queuePosition: number | null;
  runningForMs: number;
  resolution: Resolution;
  duration: DurationSeconds;
}

/** Time left in ms, or null when past the typical time (better to say nothing than lie). */
export function estimateRemainingMs(input: EtaInput): number | null {
  const run = typicalRunMs(input.resolution, input.duration);
  if (input.phase === 'queued') {
    // Each job ahead of us holds a slot for about one run; fal runs a few at once.
    const ahead = Math.max(0, input.queuePosition ?? 0);
    return run + Math.ceil(ahead / 2) * run;
  }
  if (input.phase === 'running') {
    const left = run - input.runningForMs;
    return left > 0 ? left : null;
  }
  return run;
}
