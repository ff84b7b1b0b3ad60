/** Summary statistics for a handful of timings; nearest-rank percentiles, so small samples stay honest. */

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The 95th percentile; with fewer than 20 runs that is the slowest run. */
export function p95(values: readonly number[]): number {
  return percentile(values, 0.95);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
