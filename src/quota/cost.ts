import type { DurationSeconds, Resolution } from '../config/videoChoices.js';

/** Cost of one clip in integer cents, from the operator's per-second price table. */
export function clipCostCents(
  prices: Record<Resolution, number>,
  resolution: Resolution,
  duration: DurationSeconds,
): number {
  return Math.round(prices[resolution] * Number(duration));
}
