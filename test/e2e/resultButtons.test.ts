import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { step } from '../fakes/fakeFal.js';
import { animate, contentOf, finalMessage, startHarness, waitForJobIn, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { buttonsOf, finishedVideo, firstAnswer, setAllowedResolutions } from '../support/resultButtons.js';

const OTHER_MEMBER = '1200000000000000009';
const EPHEMERAL = 64;

describe('the buttons on a finished video', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ falScript: [step.queued(1), step.running('making'), step.completes({ seed: 4242, actualPrompt: 'a cat, cinematic, turns its head' })] });
  });
  afterEach(async () => {
    await harness.close();
  });

  async function firstVideo(extra: Array<{ name: string; type: number; value: string | number }> = []) {
    const handle = await animate(harness, {
      image: await makeImage(512, 512),
      prompt: 'a cat turns its head',
      extra: [{ name: 'resolution', type: 3, value: '480p' }, { name: 'negative_prompt', type: 3, value: 'blur' }, ...extra],
    });
    const video = await finishedVideo(handle);
    await harness.app.jobs.idle();
    return { handle, ...video };
  }

  it('shows Re-roll, Remix, Render final, Details and Extend on the delivered message', async () => {
    const { handle } = await firstVideo();
    expect(buttonsOf(handle.originalMessage()).map((button) => button.label)).toEqual(['Re-roll', 'Remix', 'Render final', 'Details', 'Extend']);
    const [job] = await harness.app.jobRepository.inStates(['delivered']);
    expect(buttonsOf(handle.originalMessage()).map((button) => button.custom_id)).toEqual([
      `reroll:${job!.id}`,
      `remix:${job!.id}`,
      `final:${job!.id}`,
      `details:${job!.id}`,
      `extend:${job!.id}`,
    ]);
  });

  it('Re-roll, after a restart and by another member: the same picture, prompt and settings with a new seed, as their job in a new reply', async () => {
    const { messageId, button } = await firstVideo([{ name: 'seed', type: 4, value: 7 }]);
    await harness.restart();
    const click = await harness.discord.clickButton({ messageId, customId: button('Re-roll'), userId: OTHER_MEMBER });
    const answer = await firstAnswer(click);
    expect(answer.type).toBe(5); // a new public "thinking…": the new job's reply
    expect(answer.flags & EPHEMERAL).toBe(0);
    const final = await finalMessage(click);
    expect(contentOf(final)).toMatch(/✅/);
    await harness.app.jobs.idle();

    const [first, second] = harness.fal.submits;
    expect(harness.fal.submits).toHaveLength(2);
    expect(second!.input.image_url).toBe(first!.input.image_url);
    expect(harness.fal.uploads).toHaveLength(1); // the picture on fal's storage is reused, not downloaded again
    expect(second!.input).toMatchObject({ prompt: 'a cat turns its head', negative_prompt: 'blur', resolution: '480p', duration: '5' });
    expect(first!.input.seed).toBe(7);
    expect(second!.input.seed).toBeUndefined();
    const rerolled = (await harness.app.jobRepository.inStates(['delivered'])).find((job) => job.userId === OTHER_MEMBER);
    expect(rerolled?.sourceJobId).toBeTruthy();
    // Its cost shows first, like any job's.
    expect(click.events().some((event) => /\$\d/.test(contentOf(event)))).toBe(true);
    // The new video has buttons of its own.
    expect(buttonsOf(click.originalMessage()).map((b) => b.label)).toContain('Re-roll');
  });

  it('Remix: a form pre-filled with the prompt and negative prompt; the edited request runs as a new job', async () => {
    const { messageId, button } = await firstVideo();
    await harness.restart();
    const click = await harness.discord.clickButton({ messageId, customId: button('Remix'), userId: OTHER_MEMBER });
    const modal = await harness.discord.waitFor(() => click.modal());
    const inputs = JSON.stringify(modal.components);
    expect(modal.custom_id).toMatch(/^remix:[\w-]+$/);
    expect(inputs).toContain('"custom_id":"prompt"');
    expect(inputs).toContain('"value":"a cat turns its head"');
    expect(inputs).toContain('"custom_id":"negative_prompt"');
    expect(inputs).toContain('"value":"blur"');
    expect(await harness.app.jobRepository.inStates(['received', 'validated', 'reserved', 'prepared', 'submitted', 'queued', 'running'])).toHaveLength(0);

    const submit = await click.submitModal({ values: { prompt: 'a cat jumps off the table' } });
    expect(contentOf(await finalMessage(submit))).toMatch(/✅/);
    await harness.app.jobs.idle();
    expect(harness.fal.submits[1]!.input).toMatchObject({ prompt: 'a cat jumps off the table', negative_prompt: 'blur', resolution: '480p' });
    expect(harness.fal.uploads).toHaveLength(1);
  });

  it('Render final: the same prompt, seed and picture at the best resolution the server allows, saying once that the motion may differ', async () => {
    await setAllowedResolutions(harness, ['480p', '720p']);
    const { messageId, button } = await firstVideo();
    await harness.restart();
    const click = await harness.discord.clickButton({ messageId, customId: button('Render final'), userId: OTHER_MEMBER });
    const answer = await firstAnswer(click);
    expect(answer.type).toBe(4);
    expect(answer.content).toMatch(/720p.*does not promise the same motion/);
    await finalMessage(click);
    await harness.app.jobs.idle();
    expect(harness.fal.submits[1]!.input).toMatchObject({ prompt: 'a cat turns its head', resolution: '720p', seed: 4242 });
    expect(harness.fal.submits[1]!.input.image_url).toBe(harness.fal.submits[0]!.input.image_url);
    const sayings = click.events().filter((event) => /does not promise the same motion/.test(contentOf(event)));
    expect(sayings).toHaveLength(1);
    // The final render is at the best allowed resolution: no Render final on it.
    expect(buttonsOf(click.originalMessage()).map((b) => b.label)).toEqual(['Re-roll', 'Remix', 'Details', 'Extend']);
  });

  it('Details: privately, the prompt fal used, seed, model, resolution, duration, cost and fal\'s times', async () => {
    const { messageId, button } = await firstVideo();
    const click = await harness.discord.clickButton({ messageId, customId: button('Details'), userId: OTHER_MEMBER });
    const answer = await firstAnswer(click);
    expect(answer.type).toBe(4);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toContain('a cat, cinematic, turns its head');
    expect(answer.content).toMatch(/Seed:\*\* 4242/);
    expect(answer.content).toContain('WAN 2.5');
    expect(answer.content).toMatch(/480p.*5 s/);
    expect(answer.content).toMatch(/Cost:\*\* \$\d+\.\d\d/);
    expect(answer.content).toMatch(/In fal's queue:\*\* \d.*Running:\*\* \d/);
  });

  it('refuses a Re-roll the clicker\'s own quota does not allow, privately, and charges nothing', async () => {
    const { messageId, button } = await firstVideo();
    // The other member made their one clip of the day.
    const theirs = await animate(harness, { image: await makeImage(512, 512), userId: OTHER_MEMBER, extra: [{ name: 'resolution', type: 3, value: '480p' }] });
    await finalMessage(theirs);
    await harness.app.jobs.idle();
    await harness.app.quota.updateSettings(harness.discord.guildId, '1', { memberClipsPerDay: 1 });
    const spentBefore = (await harness.app.quota.memberUsage(harness.discord.guildId, OTHER_MEMBER, [])).spentCents;

    const click = await harness.discord.clickButton({ messageId, customId: button('Re-roll'), userId: OTHER_MEMBER });
    const answer = await firstAnswer(click);
    expect(answer.type).toBe(4);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toMatch(/❌/);
    await harness.app.jobs.idle();
    expect(harness.fal.submits).toHaveLength(2);
    expect((await harness.app.quota.memberUsage(harness.discord.guildId, OTHER_MEMBER, [])).spentCents).toBe(spentBefore);
  });

  it('says the picture is no longer available when the job behind a button is gone', async () => {
    const { messageId } = await firstVideo();
    const click = await harness.discord.clickButton({ messageId, customId: 'reroll:0b6b7a3e-gone', userId: OTHER_MEMBER, stale: true });
    const answer = await firstAnswer(click);
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toContain('The picture of this video is no longer available; run /animate again with it.');
    expect(harness.fal.submits).toHaveLength(1);
  });
});

describe('the buttons when the video is posted in the channel (the interaction token expired)', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
  });

  it('puts the same buttons on the channel post, which work like any other', async () => {
    harness = await startHarness({ falScript: [step.queued(0), step.running('x'), step.completes(), step.downloadsWait()] });
    const handle = await animate(harness, { image: await makeImage(512, 512), extra: [{ name: 'resolution', type: 3, value: '480p' }] });
    const job = await waitForJobIn(harness, ['delivering']);
    harness.discord.expireToken(handle.token);
    harness.fal.release(job.requestId!);
    const post = await harness.discord.waitFor(() => harness.discord.channelMessages[0]);
    await harness.app.jobs.idle();
    expect(buttonsOf(post.body).map((button) => button.label)).toEqual(['Re-roll', 'Remix', 'Render final', 'Details', 'Extend']);
    const delivered = await harness.app.jobRepository.get(job.id);
    expect(delivered.deliveredMessageId).toBe(post.messageId);

    harness.fal.setDefaultScript([step.queued(0), step.running('x'), step.completes()]);
    const click = await harness.discord.clickButton({ messageId: post.messageId, customId: `reroll:${job.id}`, userId: OTHER_MEMBER });
    expect(contentOf(await finalMessage(click))).toMatch(/✅/);
  });
});
