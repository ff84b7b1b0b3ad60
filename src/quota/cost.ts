import type { DurationSeconds, Resolution } from '../config/config.js';

/** Cost of one clip in integer cents, from the operator's per-second price table. */
export function clipCostCents(
  prices: Readonly<Record<Resolution, number>>,
  resolution: Resolution,
  duration: DurationSeconds | number,
): number {
  const perSecond = prices[resolution];
  if (perSecond === undefined) throw new Error(`no price for ${resolution}`);
  return Math.round(perSecond * Number(duration));
}

export function formatUsd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
