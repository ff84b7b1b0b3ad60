import type { DurationSeconds, Resolution } from '../config/config.js';

/** Cost of one clip in integer cents, from the operator's per-second price table. */
export function clipCostCents(
  prices: Record<Resolution, number>,
  resolution: Resolution,
  duration: DurationSeconds,
): number {
  return Math.round(prices[resolution] * Number(duration));
}

export function formatUsd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
