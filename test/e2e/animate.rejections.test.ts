import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wan25 } from '../../src/fal/models/wan25.js';
import { animate, contentOf, finalMessage, startHarness, type AnimateOptions, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/**
 * Every input the model cannot use is refused with its own sentence before
 * anything is paid: fal sees no upload and no submit.
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

  it('refuses a GIF, naming what it looks like', async () => {
    const { text } = await refusal({ image: await makeImage(400, 400, 'gif'), imageName: 'cat.gif', imageContentType: 'image/gif' });
    expect(text).toMatch(/JPEG, PNG, BMP or WEBP/);
    expect(text).toMatch(/GIF/);
  });

  it('refuses a text file named .png, whatever it claims to be', async () => {
    const { text } = await refusal({ image: Buffer.from('definitely not a picture\n'.repeat(20)), imageName: 'cat.png' });
    expect(text).toMatch(/JPEG, PNG, BMP or WEBP/);
  });

  it('refuses a picture 359 px wide', async () => {
    const { text } = await refusal({ image: await makeImage(359, 600) });
    expect(text).toMatch(/359×600 px/);
    expect(text).toMatch(/between 360 and 2000 px/);
  });

  it('refuses a picture 2001 px tall', async () => {
    const { text } = await refusal({ image: await makeImage(800, 2001, 'jpeg') });
    expect(text).toMatch(/800×2001 px/);
  });

  it('refuses a PNG with transparency and says why', async () => {
    const { text } = await refusal({ image: await makeImage(512, 512, 'png', { alpha: true }) });
    expect(text).toMatch(/transparen|alpha/i);
  });

  it('refuses a file Discord says is over 10 MB at once and privately', async () => {
    const { text, ephemeral } = await refusal({ image: await makeImage(512, 512), declaredSize: wan25.image.maxBytes + 1 });
    expect(text).toMatch(/10 MB/);
    expect(ephemeral).toBe(true);
  });

  it('stops downloading a file over 10 MB that claims to be small', async () => {
    const big = Buffer.concat([await makeImage(512, 512), Buffer.alloc(wan25.image.maxBytes)]);
    const { text } = await refusal({ image: big, declaredSize: 1000 });
    expect(text).toMatch(/10 MB/);
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
