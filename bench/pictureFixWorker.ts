// One (input, variant) pair of the picture-fix benchmark, in its own process
// (timedRuns.ts): checkImage or fitPicture, timed on the bytes it is sent.
import sharp from 'sharp';
import { wan25 } from '../src/fal/models/wan25.js';
import { fitPicture, pictureLimitsFor } from '../src/media/fitPicture.js';
import { checkImage } from '../src/media/image.js';
import { describeChanges } from '../src/media/pictureChanges.js';
import type { PictureFixVariant } from './pictureFixProtocol.js';
import { serveTimedRuns, type TimedVariant } from './timedRuns.js';

// libvips caches operations by input buffer; every member's picture is new, so every run must do the work.
sharp.cache(false);

const variants: Record<PictureFixVariant, TimedVariant> = {
  async checkImage(bytes) {
    const checked = await checkImage(bytes, wan25.image);
    return `accepted ${checked.width}×${checked.height}`;
  },
  async fitPicture(bytes) {
    const fitted = await fitPicture(bytes, pictureLimitsFor(wan25.image));
    const what = describeChanges(fitted.changes) || 'unchanged';
    return `${fitted.format} ${fitted.width}×${fitted.height} ${(fitted.bytes.length / 1_000_000).toFixed(1)} MB: ${what}`;
  },
};

serveTimedRuns(variants);
