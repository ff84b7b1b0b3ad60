// One (input, variant) pair of the image-check benchmark, in its own process
// (timedRuns.ts): the naive check or checkImage, timed on the bytes it is sent.
import sharp from 'sharp';
import { checkImage } from '../src/media/image.js';
import { wan25 } from '../src/fal/models/wan25.js';
import type { ImageCheckVariant } from './imageCheckProtocol.js';
import { serveTimedRuns, type TimedVariant } from './timedRuns.js';

// libvips caches operations by input buffer; every member's picture is new, so every run must do the work.
sharp.cache(false);

const inRange = (side: number) => side >= wan25.image.minSidePx && side <= wan25.image.maxSidePx;

/** The naive check: decode every pixel (sharp's default pixel limit), then look at the size. */
async function decodeThenCheck(bytes: Buffer): Promise<string> {
  const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const size = `${info.width}×${info.height}`;
  return inRange(info.width) && inRange(info.height) ? `accepted ${size}` : `rejected after decoding ${size}`;
}

async function viaCheckImage(bytes: Buffer): Promise<string> {
  const checked = await checkImage(bytes, wan25.image);
  return `accepted ${checked.width}×${checked.height}`;
}

const variants: Record<ImageCheckVariant, TimedVariant> = {
  checkImage: viaCheckImage,
  decodeThenCheck,
};

serveTimedRuns(variants);
