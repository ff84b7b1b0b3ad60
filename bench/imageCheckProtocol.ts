// The variants of the image-check benchmark; each (input, variant) pair runs
// in a fresh worker process (timedRuns.ts), so its peak RSS is its own.
export type ImageCheckVariant = 'checkImage' | 'decodeThenCheck';
