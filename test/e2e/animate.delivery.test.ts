import { afterEach, describe, expect, it } from 'vitest';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { ENGINES } from '../support/engines.js';
import { makeImage } from '../support/images.js';

describe.each(ENGINES)('/animate delivery (%s)', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('sends a link embed when the video is over the upload limit', async () => {
    harness = await startHarness({ engine });
    const handle = await animate(harness, { image: await makeImage(512, 512), attachmentSizeLimit: 4000 });
    const final = await finalMessage(handle);
    expect(contentOf(final)).toContain('✅');
    expect(final.files).toHaveLength(0);
    expect(final.body.embeds?.[0]?.url).toMatch(/^https:\/\/v3\.fal\.media\/files\/.+\.mp4$/);
    expect(contentOf(final)).toMatch(/too large to upload/);
    await harness.app.jobs.idle();
    const [job] = await harness.app.jobRepository.inStates(['delivered']);
    expect(job).toBeDefined();
  });

  it('shows the expanded prompt when fal rewrote it', async () => {
    harness = await startHarness({ engine, falScript: [step.queued(0), step.running('x'), step.completes({ actualPrompt: 'A ginger cat turns its head toward the camera', seed: 1234 })] });
    const handle = await animate(harness, { image: await makeImage(512, 512), prompt: 'cat turns' });
    const text = contentOf(await finalMessage(handle));
    expect(text).toContain('Prompt used:** A ginger cat turns its head toward the camera');
    expect(text).toContain('Seed 1234');
  });

  it('delivers a job exactly once after the bot restarts mid-run, with one submit at fal', async () => {
    harness = await startHarness({ engine, falScript: [step.queued(1), step.queued(0), step.running('Generating'), step.hangs(), step.completes()] });
    const h = harness;
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const requestId = await h.discord.waitFor(() => h.fal.submits[0]?.requestId);
    await h.discord.waitFor(() => h.fal.statusOf(requestId) === 'IN_PROGRESS');

    await h.restart();
    const [resumed] = await h.app.jobRepository.inStates(['submitted', 'queued', 'running']);
    expect(resumed?.requestId).toBe(requestId);

    h.fal.release(requestId);
    const final = await finalMessage(handle);
    await h.app.jobs.idle();
    expect(contentOf(final)).toContain('✅');
    expect(h.fal.callsTo('submit')).toHaveLength(1);
    const deliveries = handle.events().filter((e) => e.files.length > 0);
    expect(deliveries).toHaveLength(1);
    expect(await h.app.jobRepository.inStates(['delivered'])).toHaveLength(1);
    expect(h.discord.identifyCount()).toBe(2);
  });

  it('fails, with a message, a job that died before it was submitted', async () => {
    harness = await startHarness({ engine });
    const h = harness;
    // A job left half-way by a crash: recorded, never sent to fal.
    const job = await h.app.jobRepository.create({
      id: 'crashed-before-submit',
      guildId: h.discord.guildId,
      channelId: h.discord.channelId,
      userId: h.discord.memberUserId,
      model: 'wan-25',
      reply: {
        applicationId: h.discord.applicationId,
        interactionId: '1',
        token: 'token-of-a-crashed-job',
        expiresAt: Date.now() + 10 * 60_000,
        attachmentSizeLimit: 10 * 1024 * 1024,
        appPermissions: null,
      },
      prompt: 'lost',
      negativePrompt: null,
      resolution: '1080p',
      durationSeconds: 5,
      seed: null,
      promptExpansion: true,
      imageSourceUrl: 'http://example.invalid/x.png',
      audioSourceUrl: null,
      costCents: 75,
    });
    await h.restart();
    const after = await h.app.jobRepository.get(job.id);
    expect(after.state).toBe('failed');
    expect(after.errorMessage).toMatch(/restarted before your video was started/);
    const edit = await h.discord.waitFor(() =>
      h.discord.calls.find((call) => call.method === 'PATCH' && call.path.includes('token-of-a-crashed-job')),
    );
    expect(JSON.stringify(edit.body)).toMatch(/not charged/);
    expect(h.fal.calls).toHaveLength(0);
  });
});
