// Messages between the image-check benchmark and its worker processes. Each
// (input, variant) pair runs in a fresh process so its peak RSS is its own.

export type ImageCheckVariant = 'checkImage' | 'decodeThenCheck';

export interface ImageCheckTask {
  variant: ImageCheckVariant;
  bytes: Uint8Array;
  warmUpBytes: Uint8Array;
  minRuns: number;
  maxRuns: number;
  /** Stop starting new runs after this much time (once minRuns are done). */
  budgetMs: number;
}

export interface ImageCheckReport {
  /** What the variant concluded, e.g. "accepted 1920×1080" or "threw: …". The same for every run. */
  outcome: string;
  timesMs: number[];
  /** Highest RSS during the runs minus RSS before them. */
  peakRssDeltaBytes: number;
}
