import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createModelRegistry } from '../../src/fal/models/registry.js';
import type { ModelOutput, VideoModel } from '../../src/fal/models/videoModel.js';
import { wan25 } from '../../src/fal/models/wan25.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

/**
 * A made-up model, described in this file alone: the bot must run a job
 * through it without any other file knowing it exists.
 */
const motionLite: VideoModel = {
  id: 'motion-lite',
  endpointId: 'acme/motion-lite/image-to-video',
  displayName: 'Motion Lite',
  resolutions: ['480p', '720p'],
  durationsSeconds: [4, 8],
  defaults: { resolution: '720p', durationSeconds: 4 },
  priceCentsPerSecond: { '480p': 2, '720p': 4 },
  promptMaxLength: 300,
  negativePromptMaxLength: 100,
  image: { maxBytes: 5 * 1024 * 1024, minSidePx: 256, maxSidePx: 1024 },
  audio: null,
  timings: { runSeconds: () => 30, parallelRuns: 4 },
  input: (job) => ({
    text: job.prompt,
    start_image_url: job.imageUrl,
    size: job.resolution,
    seconds: job.durationSeconds,
    ...(job.seed !== null ? { seed: job.seed } : {}),
  }),
  outputSchema: z
    .object({ video: z.object({ url: z.string().url(), file_size: z.number().optional() }), seed: z.number().int().optional() })
    .transform(
      (output): ModelOutput => ({ videoUrl: output.video.url, videoBytes: output.video.file_size ?? null, seed: output.seed ?? null, actualPrompt: null }),
    ),
};

describe('a second model, registered by a test alone', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('runs a job through its own endpoint, input, limits and prices', async () => {
    harness = await startHarness({ models: createModelRegistry([motionLite, wan25]) });
    const handle = await animate(harness, { image: await makeImage(512, 512), prompt: 'the kite climbs into the wind' });
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();

    expect(contentOf(final)).toContain('✅');
    expect(contentOf(final)).toContain('720p · 4 s');
    expect(harness.fal.submits).toHaveLength(1);
    const submit = harness.fal.submits[0]!;
    expect(submit.endpointId).toBe('acme/motion-lite/image-to-video');
    expect(submit.input).toEqual({
      text: 'the kite climbs into the wind',
      start_image_url: expect.stringMatching(/^https:\/\/v3\.fal\.media\/files\/uploads\//) as unknown,
      size: '720p',
      seconds: 4,
    });
    const [job] = await harness.app.jobRepository.inStates(['delivered']);
    expect(job?.model).toBe('motion-lite');
    // 4 s at 4 cents a second, from the model's own price table.
    expect(job?.costCents).toBe(16);
    const ledger = await harness.app.ledger.movements(job!.id);
    expect(ledger.map((row) => [row.kind, row.amount_cents])).toEqual([
      ['reserve', 16],
      ['commit', 16],
    ]);
  });

  it('fits the picture to the model\'s own size limits', async () => {
    harness = await startHarness({ models: createModelRegistry([motionLite, wan25]) });
    // 1200 px is fine for WAN 2.5, too large for this model: scaled to its 1024 px.
    const handle = await animate(harness, { image: await makeImage(1200, 800), prompt: 'waves roll in' });
    const final = await finalMessage(handle);
    expect(contentOf(final)).toContain('I adjusted your picture: scaled 1200×800 → 1024×683');
    const [submit] = harness.fal.submits;
    const sent = harness.fal.uploads.find((upload) => upload.fileUrl === submit?.input.start_image_url);
    expect(await sharp(sent!.bytes).metadata()).toMatchObject({ width: 1024, height: 683 });

    // Too long and thin for 256–1024 px whatever the scale: refused, naming this model's limits.
    const thin = await finalMessage(await animate(harness, { image: await makeImage(1200, 200), prompt: 'waves roll in' }));
    expect(contentOf(thin)).toMatch(/1200×200 px, too long and thin for the model: .*each side must be between 256 and 1024 px/);
    expect(harness.fal.submits).toHaveLength(1);
  });

  it('shows a report id for a bug in the pipeline, logs the same id, and refunds', async () => {
    const broken: VideoModel = {
      ...motionLite,
      input: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'url')");
      },
    };
    harness = await startHarness({ models: createModelRegistry([broken]) });
    const handle = await animate(harness, { image: await makeImage(512, 512), prompt: 'a leaf falls' });
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();

    const reportId = /\(report `([0-9a-f]{8})`\)/.exec(contentOf(final))?.[1];
    expect(contentOf(final)).toMatch(/Something went wrong on our side\. You were not charged/);
    expect(contentOf(final)).not.toMatch(/Cannot read properties/);
    expect(reportId).toBeDefined();
    const logged = harness.logLines.map((line) => JSON.parse(line) as { msg: string; reportId?: string });
    expect(logged.find((line) => line.msg === 'job failed with an unexpected error')?.reportId).toBe(reportId);
    const [job] = await harness.app.jobRepository.inStates(['failed']);
    const ledger = await harness.app.ledger.movements(job!.id);
    expect(ledger.map((row) => row.kind)).toEqual(['reserve', 'refund']);
    expect(harness.fal.submits).toHaveLength(0);
  });
});
