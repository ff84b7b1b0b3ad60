// One (input, variant) pair of the image-check benchmark, in its own process:
// the parent sends an ImageCheckTask, this answers an ImageCheckReport and exits.
import sharp from 'sharp';
import { UserFacingError } from '../src/errors.js';
import { checkImage } from '../src/media/image.js';
import { wan25 } from '../src/fal/models/wan25.js';
import type { ImageCheckReport, ImageCheckTask, ImageCheckVariant } from './imageCheckProtocol.js';

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

const VARIANTS: Record<ImageCheckVariant, (bytes: Buffer) => Promise<string>> = {
  checkImage: viaCheckImage,
  decodeThenCheck,
};

async function outcomeOf(variant: ImageCheckVariant, bytes: Buffer): Promise<string> {
  try {
    return await VARIANTS[variant](bytes);
  } catch (error) {
    if (error instanceof UserFacingError) return `rejected: ${error.memberMessage.split(';')[0]}`;
    return `threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function runTask(task: ImageCheckTask): Promise<ImageCheckReport> {
  const bytes = asBuffer(task.bytes);
  await outcomeOf(task.variant, asBuffer(task.warmUpBytes));
  const rssBefore = process.memoryUsage().rss;
  const timesMs: number[] = [];
  let outcome = '';
  const startedAt = performance.now();
  while (timesMs.length < task.maxRuns && (timesMs.length < task.minRuns || performance.now() - startedAt < task.budgetMs)) {
    const runStartedAt = performance.now();
    outcome = await outcomeOf(task.variant, bytes);
    timesMs.push(performance.now() - runStartedAt);
  }
  // maxRSS is in KiB and covers the whole process life, which is why each pair gets a fresh process.
  const peakRssDeltaBytes = Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore);
  return { outcome, timesMs, peakRssDeltaBytes };
}

process.once('message', (task: ImageCheckTask) => {
  runTask(task).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`image-check worker failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
