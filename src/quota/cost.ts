import type { DurationSeconds, Resolution } from '../config/videoChoices.js';

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
