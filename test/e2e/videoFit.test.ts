import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegBinary } from '../../src/media/video/locateFfmpeg.js';
import { probeVideo } from '../../src/media/video/probeVideo.js';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { makeClip, testFfmpeg } from '../support/videoClips.js';

const KIB = 1024;

describe('a video over the upload limit', () => {
  let ffmpeg: FfmpegBinary;
  /** 3 s of 640×360 at 25 fps with a tone, lossless: about 1.4 MB. */
  let bigClip: Buffer;
  let harness: Harness | undefined;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    bigClip = await makeClip(ffmpeg, { width: 640, height: 360, fps: 25, patternSeconds: 3, audioSeconds: 3, lossless: true });
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('is re-encoded under the limit, playable, with the link to the full-quality file', async () => {
    const limit = 300 * KIB;
    expect(bigClip.length).toBeGreaterThan(limit);
    harness = await startHarness({ falScript: [step.running('x'), step.completes({ video: bigClip })] });
    const handle = await animate(harness, { image: await makeImage(512, 512), attachmentSizeLimit: limit });

    const final = await finalMessage(handle, 60_000);
    const text = contentOf(final);
    expect(text).toContain('✅');
    expect(final.files).toHaveLength(1);
    const sent = final.files[0]!.bytes;
    expect(sent.length).toBeLessThanOrEqual(limit);
    const probed = await probeVideo(ffmpeg, sent);
    expect(probed).toMatchObject({ width: 640, height: 360, fps: 25, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
    expect(probed.durationSeconds).toBeCloseTo(3, 0);
    expect(text).toMatch(/Made smaller \(640×360\) to fit the upload limit here\. Full quality \(1\.4 MB\): <https:\/\/v3\.fal\.media\/files\/.+\/output\.mp4>/);

    // Which ffmpeg did it is in the log, from the start.
    expect(harness.logLines.some((line) => /using ffmpeg \S+ \((system|package)\)/.test(line))).toBe(true);
    await harness.app.jobs.idle();
    const [job] = await harness.app.jobRepository.inStates(['delivered']);
    expect(job?.videoBytes).toBe(sent.length);
    expect((await harness.app.ledger.movements(job!.id)).map((row) => row.kind)).toEqual(['reserve', 'commit']);
  }, 90_000);

  it('goes as a link when the bot has no ffmpeg', async () => {
    harness = await startHarness({ ffmpeg: null, falScript: [step.running('x'), step.completes({ video: bigClip })] });
    const h = harness;
    const handle = await animate(h, { image: await makeImage(512, 512), attachmentSizeLimit: 300 * KIB });

    const final = await finalMessage(handle);
    expect(contentOf(final)).toContain('✅');
    expect(contentOf(final)).toMatch(/too large to upload/);
    expect(contentOf(final)).not.toMatch(/Made smaller/);
    expect(final.files).toHaveLength(0);
    expect(final.body.embeds?.[0]?.url).toMatch(/^https:\/\/v3\.fal\.media\/files\/.+\/output\.mp4$/);
    // fal declared the size, so nothing was downloaded just to find it too big.
    expect(h.fal.callsTo('cdn').filter((call) => call.path.endsWith('output.mp4'))).toHaveLength(0);
  });

  it('goes as a link when no copy can be made small enough', async () => {
    harness = await startHarness({ falScript: [step.running('x'), step.completes({ video: bigClip })] });
    const h = harness;
    // 3 s in 8 KiB leaves about 20 kb/s: under the 100 kb/s below which fitVideoToSize refuses.
    const handle = await animate(h, { image: await makeImage(512, 512), attachmentSizeLimit: 8 * KIB });

    const final = await finalMessage(handle, 30_000);
    expect(contentOf(final)).toMatch(/too large to upload/);
    expect(final.files).toHaveLength(0);
    expect(h.logLines.some((line) => line.includes('could not fit the video to the upload limit'))).toBe(true);
  });
});
