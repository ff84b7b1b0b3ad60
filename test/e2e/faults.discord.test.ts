import { PermissionFlagsBits } from 'discord.js';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/fakeDiscord.js';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';

const sampleMp4 = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));
const perms = (...flags: bigint[]) => String(flags.reduce((all, flag) => all | flag, 0n));
const ALL_NEEDED = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.AttachFiles, PermissionFlagsBits.EmbedLinks];

/**
 * Discord misbehaving when the video is ready. Each test holds the video at
 * fal's CDN until the job is delivering, injects the fault, then lets it go,
 * so the fault hits the final message and nothing else.
 */
describe('Discord faults at delivery', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function jobAtDelivery(appPermissions?: string): Promise<{ h: Harness; handle: InteractionHandle; release: () => void }> {
    const h = (harness = await startHarness({ falScript: [step.queued(0), step.running('x'), step.completes(), step.downloadsWait()] }));
    const handle = await animate(h, { image: await makeImage(512, 512), ...(appPermissions !== undefined ? { appPermissions } : {}) });
    const job = await waitForJobIn(h, ['delivering']);
    // Let the last progress edit land before the fault is injected.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { h, handle, release: () => h.fal.release(job.requestId!) };
  }

  it('delivers the video despite 429s on the final edit', async () => {
    const { h, handle, release } = await jobAtDelivery();
    h.discord.failNext({ method: 'PATCH', pathIncludes: '/messages/@original' }, { status: 429, retryAfterSeconds: 0.2 }, 2);
    release();
    const final = await finalMessage(handle);
    expect(final.files[0]?.bytes.equals(sampleMp4)).toBe(true);
    expect(h.discord.calls.filter((c) => c.status === 429)).toHaveLength(2);
  });

  it('posts in the channel, pinging only the requester, when the final edit keeps failing with 5xx', async () => {
    const { h, release } = await jobAtDelivery();
    h.discord.failNext({ method: 'PATCH', pathIncludes: '/messages/@original' }, { status: 502 }, 100);
    release();
    const post = await h.discord.waitFor(() => h.discord.channelMessages[0], 15_000);
    await h.app.jobs.idle();
    expect(post.channelId).toBe(h.discord.channelId);
    expect(post.body.content).toContain(`<@${h.discord.memberUserId}>`);
    expect(post.body.allowed_mentions).toEqual({ parse: [], users: [h.discord.memberUserId] });
    expect(post.files[0]?.bytes.equals(sampleMp4)).toBe(true);
    expect(await h.app.jobRepository.inStates(['delivered'])).toHaveLength(1);
  });

  it('posts in the channel with the bot token once the interaction token has expired', async () => {
    const { h, handle, release } = await jobAtDelivery();
    h.discord.expireToken(handle.token);
    release();
    const post = await h.discord.waitFor(() => h.discord.channelMessages[0]);
    expect(post.body.content).toMatch(/✅/);
    expect(post.files).toHaveLength(1);
  });

  it('does not even try the interaction token for a job that outlived it (~14 min): posts in the channel', async () => {
    let offsetMs = 0;
    const h = (harness = await startHarness({
      now: () => Date.now() + offsetMs,
      falScript: [step.queued(0), step.running('x'), step.completes(), step.downloadsWait()],
    }));
    const handle = await animate(h, { image: await makeImage(512, 512) });
    const job = await waitForJobIn(h, ['delivering']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    offsetMs = 14.5 * 60_000; // the job has now run for 14.5 minutes
    const patchesBefore = h.discord.calls.filter((c) => c.method === 'PATCH').length;
    h.fal.release(job.requestId!);
    const post = await h.discord.waitFor(() => h.discord.channelMessages[0]);
    expect(post.body.content).toContain(`<@${h.discord.memberUserId}>`);
    expect(post.files[0]?.bytes.equals(sampleMp4)).toBe(true);
    expect(h.discord.calls.filter((c) => c.method === 'PATCH')).toHaveLength(patchesBefore);
    expect(handle.events().some((e) => /✅/.test(contentOf(e)))).toBe(false);
  });

  it('sends the link in the channel when the bot may not attach files there', async () => {
    const { h, handle, release } = await jobAtDelivery(perms(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks));
    h.discord.expireToken(handle.token);
    release();
    const post = await h.discord.waitFor(() => h.discord.channelMessages[0]);
    expect(post.files).toHaveLength(0);
    expect(post.body.content).toMatch(/https:\/\/v3\.fal\.media\/files\/.+\.mp4/);
  });

  it('sends a DM, saying why, when the bot may not post in the channel', async () => {
    const { h, handle, release } = await jobAtDelivery(perms(PermissionFlagsBits.ViewChannel));
    h.discord.expireToken(handle.token);
    release();
    const dm = await h.discord.waitFor(() => h.discord.channelMessages.find((m) => m.channelId !== h.discord.channelId));
    expect(dm.body.content).toContain(`I could not reply in <#${h.discord.channelId}>`);
    expect(dm.files[0]?.bytes.equals(sampleMp4)).toBe(true);
    expect(h.discord.channelMessages.filter((m) => m.channelId === h.discord.channelId)).toHaveLength(0);
  });

  it('sends a DM when the channel was deleted', async () => {
    const { h, handle, release } = await jobAtDelivery(perms(...ALL_NEEDED));
    h.discord.expireToken(handle.token);
    h.discord.failNext({ method: 'POST', pathIncludes: `/channels/${h.discord.channelId}/messages` }, { status: 404, body: { message: 'Unknown Channel', code: 10003 } });
    release();
    const dm = await h.discord.waitFor(() => h.discord.channelMessages.find((m) => m.channelId !== h.discord.channelId));
    expect(dm.body.content).toContain('I could not reply in');
  });

  it('ends the job failed but counted (fal made and billed it), and keeps running, when the member cannot be reached at all', async () => {
    const { h, handle, release } = await jobAtDelivery(perms(...ALL_NEEDED));
    h.discord.expireToken(handle.token);
    h.discord.failNext({ method: 'POST', pathIncludes: '/messages' }, { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } }, 10);
    h.discord.failNext({ method: 'POST', pathIncludes: '/users/@me/channels' }, { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } }, 10);
    release();
    const job = await waitForJobIn(h, ['failed']);
    expect(job.errorCode).toBe('undeliverable');
    expect(job.errorMessage).not.toMatch(/not charged/);
    await h.app.jobs.idle();
    expect((await h.app.ledger.movements(job.id)).map((m) => m.kind)).toEqual(['reserve', 'commit']);
    // The bot is still up: the next member is served.
    h.fal.setDefaultScript([step.queued(0), step.running('x'), step.completes()]);
    const next = await animate(h, { image: await makeImage(512, 512) });
    expect(contentOf(await finalMessage(next))).toContain('✅');
  });

  it('sends the link when Discord refuses the upload itself', async () => {
    const { h, handle, release } = await jobAtDelivery();
    h.discord.failNext({ method: 'PATCH', pathIncludes: '/messages/@original' }, { status: 413, body: { message: 'Request entity too large', code: 40005 } });
    release();
    const final = await finalMessage(handle);
    expect(final.files).toHaveLength(0);
    expect(final.body.embeds?.[0]?.url).toMatch(/\.mp4$/);
  });
});
