import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { ENGINES } from '../support/engines.js';
import { makeImage } from '../support/images.js';

const sampleMp4 = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));

describe.each(ENGINES)('/animate end to end (%s)', (engine) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ engine });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('defers at once, shows progress, and edits the reply with the MP4 fal made', async () => {
    // The queue phase outlasts one progress-edit interval (10 polls × 25 ms > 150 ms),
    // so the throttled reply must show it whatever the engine's speed.
    harness.fal.setDefaultScript([
      ...[9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map(step.queued),
      ...Array.from({ length: 12 }, (_, i) => step.running(`Generating frames ${i + 1}/12`)),
      step.completes(),
    ]);
    const image = await makeImage(640, 480, 'png');
    const handle = await animate(harness, {
      image,
      prompt: 'the cat slowly turns its head and blinks',
      extra: [
        { name: 'resolution', type: 3, value: '720p' },
        { name: 'duration', type: 3, value: '10' },
        { name: 'seed', type: 4, value: 42 },
        { name: 'negative_prompt', type: 3, value: 'blurry' },
        { name: 'prompt_expansion', type: 5, value: false },
      ],
    });
    const final = await finalMessage(handle);
    await harness.app.jobs.idle();
    const events = handle.events();

    // Answered with a defer (type 5) before anything else.
    expect(events[0]?.kind).toBe('callback');
    expect(events[0]?.callbackType).toBe(5);

    // The MP4 in the final multipart edit is byte-for-byte what fal produced.
    expect(contentOf(final)).toContain('✅');
    expect(final.files).toHaveLength(1);
    expect(final.files[0]!.bytes.equals(sampleMp4)).toBe(true);
    expect(final.files[0]!.name).toMatch(/\.mp4$/);
    expect(contentOf(final)).toContain('720p · 10 s');
    expect(final.body.allowed_mentions).toEqual({ parse: [] });

    // fal got exactly one job with the right input, and the uploaded image is ours.
    expect(harness.fal.submits).toHaveLength(1);
    const input = harness.fal.submits[0]!.input;
    expect(input).toMatchObject({
      prompt: 'the cat slowly turns its head and blinks',
      resolution: '720p',
      duration: '10',
      seed: 42,
      negative_prompt: 'blurry',
      enable_prompt_expansion: false,
      enable_safety_checker: true,
    });
    expect(input.image_url).toMatch(/^https:\/\/v3\.fal\.media\/files\/uploads\//);
    expect(harness.fal.uploads[0]!.bytes.equals(image)).toBe(true);

    // The member saw progress: place in line, then the model's log lines.
    const progress = events.filter((e) => e.kind === 'edit').map(contentOf);
    expect(progress.some((text) => /position \d|Next in line/.test(text))).toBe(true);
    expect(progress.some((text) => /Making your video/.test(text))).toBe(true);

    // The job row went through every state.
    const [job] = await harness.app.jobRepository.inStates(['delivered']);
    expect(job?.requestId).toBe(harness.fal.submits[0]!.requestId);
    const states = (await harness.app.jobRepository.events(job!.id)).map((e) => e.to);
    expect(states).toEqual(expect.arrayContaining(['received', 'validated', 'reserved', 'prepared', 'submitted', 'queued', 'running', 'delivering', 'delivered']));
  });

  it('keeps progress edits within the throttle however often it polls', async () => {
    // Many status steps at a 25 ms poll interval, edits limited to one per 150 ms.
    harness.fal.setDefaultScript([
      ...[9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map(step.queued),
      ...Array.from({ length: 20 }, (_, i) => step.running(`step ${i}`)),
      step.completes(),
    ]);
    const handle = await animate(harness, { image: await makeImage(512, 512) });
    await finalMessage(handle);
    const edits = handle.events().filter((e) => e.kind === 'edit');
    const progressEdits = edits.slice(0, -1);
    const statusCalls = harness.fal.callsTo('status').length;
    expect(statusCalls).toBeGreaterThanOrEqual(30);
    expect(progressEdits.length).toBeLessThan(statusCalls / 2);
    for (let i = 1; i < progressEdits.length; i += 1) {
      // Allow a little scheduling slack below the configured interval.
      expect(progressEdits[i]!.at - progressEdits[i - 1]!.at).toBeGreaterThanOrEqual(130);
    }
  });
});
