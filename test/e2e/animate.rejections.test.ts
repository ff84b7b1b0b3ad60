import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PICTURE_MAX_INPUT_BYTES } from '../../src/media/limits.js';
import { animate, contentOf, finalMessage, startHarness, type AnimateOptions, type Harness } from '../support/harness.js';
import { SVG, noisyImage } from '../support/hostileFiles.js';
import { makeImage } from '../support/images.js';
import { pixelBombPng } from '../support/mediaFiles.js';

/**
 * Every input the model cannot use, and that cannot be fixed, is refused with
 * its own sentence before anything is paid: fal sees no upload and no submit.
 * (Pictures that can be fixed are: test/e2e/pictureFixes.test.ts.)
 */
describe('/animate refuses bad input before paying fal', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  async function refusal(options: AnimateOptions): Promise<{ text: string; ephemeral: boolean }> {
    const falCallsBefore = harness.fal.calls.length;
    const handle = await animate(harness, options);
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    expect(harness.fal.calls.length).toBe(falCallsBefore);
    const text = contentOf(final);
    expect(text).toContain('❌');
    expect(text).not.toMatch(/\{"|at .*\.js|Error:/);
    const ephemeral = final.kind === 'callback' && (final.body?.data?.flags & 64) === 64;
    return { text, ephemeral };
  }

  it('refuses an SVG, which is never rendered, naming what it looks like', async () => {
    const { text } = await refusal({ image: SVG, imageName: 'cat.svg', imageContentType: 'image/svg+xml' });
    expect(text).toMatch(/not a picture I can use \(JPEG, PNG, WEBP, BMP, GIF/);
    expect(text).toMatch(/SVG/);
  });

  it('refuses a text file named .png, whatever it claims to be', async () => {
    const { text } = await refusal({ image: Buffer.from('definitely not a picture\n'.repeat(20)), imageName: 'cat.png' });
    expect(text).toMatch(/not a picture I can use \(JPEG, PNG, WEBP, BMP, GIF/);
  });

  it('refuses a picture too long and thin for any scale to fit (4000×300)', async () => {
    const { text } = await refusal({ image: await makeImage(4000, 300) });
    expect(text).toMatch(/4000×300 px, too long and thin/);
    expect(text).toMatch(/between 360 and 2000 px\. Please crop it\./);
  });

  it('refuses a header promising more pixels than it will ever decode', async () => {
    const { text } = await refusal({ image: pixelBombPng(9_000, 9_000) });
    expect(text).toMatch(/9000×9000 px \(81 megapixels\); the limit is 67 megapixels/);
  });

  it('refuses a damaged picture', async () => {
    const whole = await noisyImage(512, 512).png().toBuffer();
    const { text } = await refusal({ image: whole.subarray(0, Math.floor(whole.length / 2)) });
    expect(text).toMatch(/empty or damaged/);
  });

  it('refuses a file Discord says is over 25 MB at once and privately', async () => {
    const { text, ephemeral } = await refusal({ image: await makeImage(512, 512), declaredSize: PICTURE_MAX_INPUT_BYTES + 1 });
    expect(text).toMatch(/25 MB/);
    expect(ephemeral).toBe(true);
  });

  it('stops downloading a file over 25 MB that claims to be small', async () => {
    const big = Buffer.concat([await makeImage(512, 512), Buffer.alloc(PICTURE_MAX_INPUT_BYTES)]);
    const { text } = await refusal({ image: big, declaredSize: 1000 });
    expect(text).toMatch(/larger than 25 MB/);
  });

  it('refuses a prompt of 801 characters at once and privately', async () => {
    const { text, ephemeral } = await refusal({ image: await makeImage(512, 512), prompt: 'a'.repeat(801) });
    expect(text).toMatch(/801 characters; the limit is 800/);
    expect(ephemeral).toBe(true);
  });

  it('accepts a prompt of exactly 800 characters', async () => {
    const handle = await animate(harness, { image: await makeImage(512, 512), prompt: 'b'.repeat(800) });
    const final = await finalMessage(handle);
    expect(contentOf(final)).toContain('✅');
    expect(harness.fal.submits.at(-1)?.input.prompt).toHaveLength(800);
  });

  it('refuses audio that is not audio', async () => {
    const { text } = await refusal({
      image: await makeImage(512, 512),
      extra: [{ name: 'audio', type: 11, attachment: { filename: 'song.mp3', bytes: Buffer.from('<html>not a song</html>'), contentType: 'audio/mpeg' } }],
    });
    expect(text).toMatch(/WAV or MP3/);
  });

  it('records every refused job as failed with the reason', async () => {
    const failed = await harness.app.jobRepository.inStates(['failed']);
    expect(failed.length).toBeGreaterThanOrEqual(7);
    for (const job of failed) {
      expect(job.errorCode).toBe('input');
      expect(job.requestId).toBeNull();
      expect(job.errorMessage).toMatch(/not charged/);
    }
  });
});
