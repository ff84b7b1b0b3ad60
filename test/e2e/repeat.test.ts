import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

describe('the same request twice: no second payment', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  const seeded = (seed: number) => [
    { name: 'seed', type: 4, value: seed },
    { name: 'resolution', type: 3, value: '480p' },
  ];

  it('answers an identical seeded request with the earlier video, a link to it, free, and one fal submit', async () => {
    const picture = await makeImage(512, 512);
    const first = await animate(harness, { image: picture, extra: seeded(11) });
    await finalMessage(first);
    await harness.app.jobs.idle();
    const firstMessageId = (first.originalMessage() as { id: string }).id;
    const spent = (await harness.app.quota.memberUsage(harness.discord.guildId, harness.discord.memberUserId, [])).spentCents;

    const again = await animate(harness, { image: Buffer.from(picture), imageName: 'same-bytes-new-name.png', extra: seeded(11) });
    const answer = contentOf(await finalMessage(again));
    await harness.app.jobs.idle();

    expect(harness.fal.submits).toHaveLength(1);
    expect(answer).toContain(`https://discord.com/channels/${harness.discord.guildId}/${harness.discord.channelId}/${firstMessageId}`);
    expect(answer).toMatch(/not charged/);
    expect((await harness.app.quota.memberUsage(harness.discord.guildId, harness.discord.memberUserId, [])).spentCents).toBe(spent);
    const jobs = await harness.app.jobRepository.inStates(['delivered']);
    expect(jobs.map((job) => job.charged).sort()).toEqual([false, true]);
  });

  it('makes a new video for a different seed, and for a request without a seed', async () => {
    const picture = await makeImage(512, 512);
    await finalMessage(await animate(harness, { image: picture, extra: seeded(11) }));
    await harness.app.jobs.idle();
    await finalMessage(await animate(harness, { image: picture, extra: seeded(12) }));
    await harness.app.jobs.idle();
    expect(harness.fal.submits).toHaveLength(2);
    await finalMessage(await animate(harness, { image: picture, extra: [{ name: 'resolution', type: 3, value: '480p' }] }));
    await finalMessage(await animate(harness, { image: picture, extra: [{ name: 'resolution', type: 3, value: '480p' }] }));
    await harness.app.jobs.idle();
    expect(harness.fal.submits).toHaveLength(4);
  });
});
