// The variants of the picture-fix benchmark; each (input, variant) pair runs
// in a fresh worker process (timedRuns.ts), so its peak RSS is its own.
export type PictureFixVariant = 'checkImage' | 'fitPicture';
