import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FalSeenImage } from '../fakes/fakeFal.js';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type AnimateOptions, type Harness } from '../support/harness.js';
import { animatedWebp } from '../support/hostileFiles.js';
import { animated, gradient, halfTransparentPng, makeImage, pixelAt } from '../support/images.js';

/**
 * Pictures the model would refuse are fixed instead, end to end: the member
 * reads one line saying what was changed (on the progress message and on the
 * video), and the fake fal, which checks pictures as WAN 2.5 does (422 for
 * alpha, other formats, animation, sides outside 360–2000 px, over 10 MB),
 * accepted what it was sent. Only what cannot fit is refused.
 */

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

/** Stored 800×400 with red on top and blue below, tagged "turn 90° clockwise": shown 400×800, red on the right. */
async function exifRotatedTwoColours(): Promise<Buffer> {
  const width = 800;
  const height = 400;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) pixels.set(y < height / 2 ? RED : BLUE, (y * width + x) * 3);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
}

function near(actual: readonly number[], expected: readonly number[], tolerance = 40): boolean {
  return actual.every((value, index) => Math.abs(value - (expected[index] ?? 0)) <= tolerance);
}

describe('pictures fixed, then told', () => {
  let harness: Harness;

  beforeAll(async () => {
    // Each job holds while running, so its progress message is there to be read before the video comes.
    harness = await startHarness({ falScript: [step.queued(0), step.running('Generating'), step.hangs(), step.completes()] });
  });

  afterAll(async () => {
    await harness.close();
  });

  /**
   * One /animate that must be delivered: what the member read, and the picture
   * fal accepted (its own reading of it, and the bytes it downloaded).
   */
  async function fixed(options: AnimateOptions): Promise<{ final: string; progress: string[]; seen: FalSeenImage; sent: Buffer }> {
    const submitsBefore = harness.fal.submits.length;
    const handle = await animate(harness, options);
    await handle.waitForEvent((event) => event.kind === 'edit' && /Making your video/.test(contentOf(event)), 30_000);
    harness.fal.release(harness.fal.submits.at(-1)!.requestId);
    const final = contentOf(await finalMessage(handle, 30_000));
    await harness.app.jobs.idle();
    expect(final, final).toContain('✅');
    expect(harness.fal.imageRefusals, 'fal refused a fixed picture').toEqual([]);
    const submits = harness.fal.submits.slice(submitsBefore);
    expect(submits).toHaveLength(1);
    const submit = submits[0]!;
    const sent = harness.fal.uploads.find((upload) => upload.fileUrl === submit.input.image_url)!.bytes;
    const progress = handle
      .events()
      .filter((event) => event.kind === 'edit')
      .map(contentOf)
      .filter((text) => /Making your video/.test(text));
    expect(submit.image, 'the fake checked the picture').toBeDefined();
    return { final, progress, seen: submit.image!, sent };
  }

  /** The line the member reads, on the video and on the progress while it is made. */
  function expectTold(result: { final: string; progress: string[] }, line: string): void {
    const told = `-# 🖼️ I adjusted your picture: ${line}`;
    expect(result.final.split('\n')).toContain(told);
    expect(result.progress.length).toBeGreaterThan(0);
    for (const text of result.progress) expect(text.split('\n')).toContain(told);
  }

  it('whitens transparency', async () => {
    const result = await fixed({ image: await halfTransparentPng(512, 512) });
    expectTold(result, 'made transparent parts white');
    expect(result.seen).toMatchObject({ format: 'png', width: 512, height: 512, hasAlpha: false, frames: 1 });
    expect(near(await pixelAt(result.sent, 100, 256), [255, 255, 255], 2)).toBe(true);
    expect(near(await pixelAt(result.sent, 400, 256), [40, 120, 200], 2)).toBe(true);
  });

  it('scales a 300 px picture up to 360 px', async () => {
    const result = await fixed({ image: await makeImage(300, 300) });
    expectTold(result, 'scaled 300×300 → 360×360');
    expect(result.seen).toMatchObject({ format: 'png', width: 360, height: 360 });
  });

  it('scales a 2400 px picture down to 2000 px', async () => {
    const result = await fixed({ image: await makeImage(2400, 1600) });
    expectTold(result, 'scaled 2400×1600 → 2000×1333');
    expect(result.seen).toMatchObject({ format: 'png', width: 2000, height: 1333 });
  });

  it('scales a 6000×4000 photo down to 2000×1333', async () => {
    const result = await fixed({ image: await makeImage(6000, 4000, 'jpeg'), imageName: 'photo.jpg', imageContentType: 'image/jpeg' });
    expectTold(result, 'scaled 6000×4000 → 2000×1333');
    expect(result.seen).toMatchObject({ format: 'jpeg', width: 2000, height: 1333 });
  });

  it('turns an animated GIF into its first frame as PNG', async () => {
    const gif = await animated('gif', 400, 400);
    const result = await fixed({ image: gif, imageName: 'cat.gif', imageContentType: 'image/gif' });
    expectTold(result, 'kept only the first frame · converted GIF to PNG');
    expect(result.seen).toMatchObject({ format: 'png', width: 400, height: 400, frames: 1, hasAlpha: false });
    expect(near(await pixelAt(result.sent, 200, 200), RED)).toBe(true);
  });

  it('turns an animated WEBP into its first frame', async () => {
    const result = await fixed({ image: await animatedWebp(400, 400), imageName: 'cat.webp', imageContentType: 'image/webp' });
    expectTold(result, 'kept only the first frame · converted WEBP to JPEG');
    expect(result.seen).toMatchObject({ format: 'jpeg', width: 400, height: 400, frames: 1 });
    expect(near(await pixelAt(result.sent, 200, 200), RED)).toBe(true);
  });

  it('turns an EXIF-rotated photo upright', async () => {
    const result = await fixed({ image: await exifRotatedTwoColours(), imageName: 'photo.jpg', imageContentType: 'image/jpeg' });
    expectTold(result, "applied the camera's rotation");
    expect(result.seen).toMatchObject({ format: 'jpeg', width: 400, height: 800 });
    // Turned a quarter clockwise: what was the top (red) is now the right.
    expect(near(await pixelAt(result.sent, 350, 400), RED)).toBe(true);
    expect(near(await pixelAt(result.sent, 50, 400), BLUE)).toBe(true);
    expect((await sharp(result.sent).metadata()).orientation ?? 1).toBe(1);
  });

  it('re-encodes a 12 MB PNG under 10 MB, pixels unchanged', async () => {
    const png = await gradient(2000, 2000).png({ compressionLevel: 0 }).toBuffer();
    expect(png.length).toBeGreaterThan(12_000_000);
    const result = await fixed({ image: png });
    expectTold(result, `compressed 11.5 MB → ${(result.sent.length / 1024 / 1024).toFixed(1)} MB`);
    expect(result.seen).toMatchObject({ format: 'png', width: 2000, height: 2000 });
    expect(result.seen.sizeBytes).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(await pixelAt(result.sent, 1234, 567)).toEqual(await pixelAt(png, 1234, 567));
  });

  it('changes nothing, and says nothing, about a picture fal takes as it is', async () => {
    const png = await makeImage(512, 512);
    const result = await fixed({ image: png });
    expect(result.final).not.toContain('adjusted your picture');
    expect(result.sent.equals(png)).toBe(true);
  });

  it('refuses a 4000×300 picture, which no scale can fit, before anything reaches fal', async () => {
    const callsBefore = harness.fal.calls.length;
    const handle = await animate(harness, { image: await makeImage(4000, 300) });
    const final = contentOf(await finalMessage(handle));
    await harness.app.jobs.idle();
    expect(final).toContain(
      '❌ The image is 4000×300 px, too long and thin for the model: at 2000 px wide it would be only 150 px tall, ' +
        'and each side must be between 360 and 2000 px. Please crop it. You were not charged.',
    );
    expect(harness.fal.calls.slice(callsBefore)).toEqual([]);
  });
});
