import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/jobs/job.js';
import type { FfmpegBinary } from '../../src/media/video/locateFfmpeg.js';
import { probeVideo } from '../../src/media/video/probeVideo.js';
import type { InteractionEvent, InteractionHandle } from '../fakes/fakeDiscord.js';
import { falValidationError, step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { isNear, makeClip, testFfmpeg } from '../support/videoClips.js';

/** Another member than the one who made the first video: the Extend is theirs to pay. */
const CLICKER = '1200000000000000077';

function buttonsOf(message: { components?: Array<{ components: Array<{ custom_id?: string; label?: string }> }> } | undefined) {
  return (message?.components ?? []).flatMap((row) => row.components);
}

describe('Extend', () => {
  let ffmpeg: FfmpegBinary;
  /** The first clip fal makes: 1.6 s of pattern with a tone, ending on 10 red frames. */
  let firstClip: Buffer;
  /** The second: 1.6 s starting on blue, with a tone. */
  let secondClip: Buffer;
  let harness: Harness | undefined;

  beforeAll(async () => {
    ffmpeg = await testFfmpeg();
    const shape = { width: 640, height: 360, fps: 25, patternSeconds: 1.2, audioSeconds: 1.6 };
    firstClip = await makeClip(ffmpeg, { ...shape, tail: [{ color: 'red', frames: 10 }] });
    secondClip = await makeClip(ffmpeg, { ...shape, head: [{ color: 'blue', frames: 10 }] });
  });

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  /** A member's /animate, delivered with `firstClip`; the handle, the job and the finished message. */
  async function finishedVideo(h: Harness): Promise<{ handle: InteractionHandle; job: Job; final: InteractionEvent }> {
    h.fal.scriptNext([step.running('x'), step.completes({ video: firstClip })]);
    const handle = await animate(h, { image: await makeImage(512, 512), prompt: 'a paper boat drifts' });
    const final = await finalMessage(handle, 30_000);
    await h.app.jobs.idle();
    const [job] = await h.app.jobRepository.inStates(['delivered']);
    return { handle, job: job!, final };
  }

  /** Clicks Extend under the video and submits the form with `prompt`. */
  async function extend(h: Harness, handle: InteractionHandle, job: Job, prompt: string): Promise<{ click: InteractionHandle; submit: InteractionHandle }> {
    const click = await h.discord.clickButton({ messageId: handle.originalMessage().id, customId: `extend:${job.id}`, userId: CLICKER });
    const submit = await click.submitModal({ values: { prompt } });
    return { click, submit };
  }

  it('makes a second clip from the last frame and delivers one video of both, each clip paid once', async () => {
    harness = await startHarness();
    const h = harness;
    const { handle, job: first, final: firstFinal } = await finishedVideo(h);
    const button = buttonsOf(firstFinal.body).find((component) => component.custom_id === `extend:${first.id}`);
    expect(button?.label).toBe('Extend');

    h.fal.scriptNext([step.running('x'), step.completes({ video: secondClip })]);
    const { click, submit } = await extend(h, handle, first, 'the boat sails into the sunset');
    // The form: the price first, the prompt to keep or change.
    const modal = click.modal();
    expect(modal?.title).toBe('Extend by 5 s · $0.75');
    expect(JSON.stringify(modal?.components)).toContain('"value":"a paper boat drifts"');

    const progress = await submit.waitForEvent((e) => e.kind === 'edit' && /uses \$0\.75/.test(contentOf(e)));
    expect(contentOf(progress)).toContain('the boat sails into the sunset');
    const final = await finalMessage(submit, 60_000);
    await h.app.jobs.idle();

    // fal got two jobs; the second started from the first video's last frame (red), at the same settings.
    expect(h.fal.submits).toHaveLength(2);
    const [firstInput, secondInput] = h.fal.submits.map((submitted) => submitted.input as Record<string, unknown>);
    expect(secondInput).toMatchObject({ prompt: 'the boat sails into the sunset', resolution: firstInput?.resolution, duration: firstInput?.duration });
    const frame = h.fal.uploads.find((upload) => upload.fileUrl === secondInput?.image_url);
    expect(frame?.contentType).toBe('image/png');
    const { channels } = await sharp(frame!.bytes).stats();
    expect(isNear(channels.slice(0, 3).map((channel) => channel.mean), [255, 0, 0], 40)).toBe(true);

    // One video of both clips, at the first's size and rate, sound kept; the first frame of the second is not shown twice.
    expect(contentOf(final)).toContain('⏩ Extended by 5 s: the video is now 10 s long.');
    expect(final.files).toHaveLength(1);
    const delivered = await probeVideo(ffmpeg, final.files[0]!.bytes);
    const parts = [await probeVideo(ffmpeg, firstClip), await probeVideo(ffmpeg, secondClip)];
    expect(delivered).toMatchObject({ width: 640, height: 360, fps: 25, hasAudio: true });
    expect(delivered.frameCount).toBe(parts[0]!.frameCount + parts[1]!.frameCount - 1);
    expect(delivered.durationSeconds).toBeCloseTo(parts[0]!.durationSeconds + parts[1]!.durationSeconds, 0);
    // Extend is one of the result buttons (commands/resultButtons.ts), so the joined video can be extended in turn.
    expect(buttonsOf(final.body).map((component) => component.custom_id)).toEqual(expect.arrayContaining([expect.stringMatching(/^extend:/)]));

    // The new job is the clicker's, names its parent, and the joined file sits in fal's storage for the link.
    const second = (await h.app.jobRepository.inStates(['delivered'])).find((job) => job.id !== first.id)!;
    expect(second).toMatchObject({ userId: CLICKER, parentJobId: first.id, totalDurationSeconds: 10, costCents: 75 });
    const joined = h.fal.uploads.find((upload) => upload.fileUrl === second.fullVideoUrl);
    expect(joined?.contentType).toBe('video/mp4');
    expect(joined?.bytes.equals(final.files[0]!.bytes)).toBe(true);

    for (const job of [first, second]) {
      expect((await h.app.ledger.movements(job.id)).map((row) => [row.kind, row.amount_cents, row.user_id])).toEqual([
        ['reserve', 75, job.userId],
        ['commit', 75, job.userId],
      ]);
    }
  }, 120_000);

  it('refunds the second clip when fal fails it, and leaves the first video paid', async () => {
    harness = await startHarness();
    const h = harness;
    const { handle, job: first } = await finishedVideo(h);
    h.fal.scriptNext([step.running('x'), step.fails(falValidationError('content_policy_violation'))]);
    const { submit } = await extend(h, handle, first, 'the boat sinks');
    const final = await finalMessage(submit, 30_000);
    await h.app.jobs.idle();

    expect(contentOf(final)).toMatch(/❌ .*safety checker.*not charged/s);
    const [failed] = await h.app.jobRepository.inStates(['failed']);
    expect(failed).toMatchObject({ parentJobId: first.id, userId: CLICKER });
    expect((await h.app.ledger.movements(failed!.id)).map((row) => row.kind)).toEqual(['reserve', 'refund']);
    expect((await h.app.ledger.movements(first.id)).map((row) => row.kind)).toEqual(['reserve', 'commit']);
  }, 60_000);

  it('refuses, before any form or charge, to extend a video past 30 s', async () => {
    harness = await startHarness();
    const h = harness;
    const { handle, job: first } = await finishedVideo(h);
    // As if extended five times already.
    await h.app.store.db.updateTable('jobs').set({ total_duration_seconds: 30 }).where('id', '=', first.id).execute();

    const click = await h.discord.clickButton({ messageId: handle.originalMessage().id, customId: `extend:${first.id}`, userId: CLICKER });
    const refusal = await click.waitForEvent((e) => e.kind === 'callback');
    expect(contentOf(refusal)).toMatch(/already 30 s long; another 5 s would make it longer than 30 s/);
    expect(refusal.body.data.flags & 64).toBe(64);
    expect(click.modal()).toBeUndefined();
    expect(h.fal.submits).toHaveLength(1);
    expect(await h.app.jobRepository.inStates(['received', 'validated', 'reserved', 'failed'])).toHaveLength(0);
  }, 60_000);

  it('is not offered by a bot without ffmpeg', async () => {
    harness = await startHarness({ ffmpeg: null });
    const { final } = await finishedVideo(harness);
    expect(contentOf(final)).toContain('✅');
    const customIds = buttonsOf(final.body).map((component) => component.custom_id ?? '');
    expect(customIds.some((id) => id.startsWith('details:'))).toBe(true);
    expect(customIds.filter((id) => id.startsWith('extend:'))).toEqual([]);
  });
});
