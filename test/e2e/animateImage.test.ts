import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionHandle, RecordedDiscordCall } from '../fakes/fakeDiscord.js';
import { step } from '../fakes/fakeFal.js';
import { contentOf, finalMessage, startHarness, type Harness } from '../support/harness.js';
import { makeImage } from '../support/images.js';
import { finishedVideo, firstAnswer } from '../support/resultButtons.js';

const EPHEMERAL = 64;
const UNFINISHED = ['received', 'validated', 'reserved', 'prepared', 'submitted', 'queued', 'running', 'delivering'] as const;

describe('right-click → Apps → "Animate image"', () => {
  let harness: Harness;
  beforeEach(async () => {
    // In line for longer than one progress-edit interval (150 ms; a status read every 25 ms), so the
    // member's message shows the place in line whatever the machine's load.
    const inLine = [3, 3, 3, 2, 2, 2, 2, 1, 1, 1].map((position) => step.queued(position));
    harness = await startHarness({ falScript: [...inLine, step.running('making'), step.completes({ seed: 99, actualPrompt: 'the cat on the sofa stretches, soft light' })] });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers with a labelled form, reserves nothing until it is submitted, then makes the video in a public reply', async () => {
    const picture = await makeImage(640, 480);
    const menu = await harness.discord.messageContextMenu({
      name: 'Animate image',
      message: { content: 'look at my cat', attachments: [{ filename: 'cat.png', bytes: picture, contentType: 'image/png' }] },
    });
    const modal = await harness.discord.waitFor(() => menu.modal());
    expect(modal.custom_id).toMatch(/^animate:[\w-]{1,64}$/);
    expect(modal.custom_id.length).toBeLessThanOrEqual(100);
    const labelled = modal.components as Array<{ type: number; label: string; component: { custom_id: string; type: number; required?: boolean; max_length?: number; options?: Array<{ value: string }> } }>;
    expect(labelled.every((c) => c.type === 18)).toBe(true); // Discord's Label component
    const byId = Object.fromEntries(labelled.map((c) => [c.component.custom_id, c.component]));
    expect(byId.prompt).toMatchObject({ type: 4, required: true, max_length: 800 });
    expect(byId.negative_prompt).toMatchObject({ type: 4, required: false, max_length: 500 });
    expect(byId.resolution?.options?.map((o) => o.value)).toEqual(['480p', '720p', '1080p']);
    expect(byId.duration?.options?.map((o) => o.value)).toEqual(['5', '10']);
    expect(await harness.app.jobRepository.inStates([...UNFINISHED, 'delivered', 'failed'])).toHaveLength(0);
    expect(harness.fal.submits).toHaveLength(0);

    const submit = await menu.submitModal({ values: { prompt: 'the cat stretches', negative_prompt: 'text', resolution: ['720p'], duration: ['10'] } });
    const answer = await firstAnswer(submit);
    expect(answer.type).toBe(5);
    expect(answer.flags & EPHEMERAL).toBe(0);
    const final = await finalMessage(submit);
    expect(contentOf(final)).toMatch(/✅/);
    await harness.app.jobs.idle();
    expect(harness.fal.submits).toHaveLength(1);
    expect(harness.fal.submits[0]!.input).toMatchObject({ prompt: 'the cat stretches', negative_prompt: 'text', resolution: '720p', duration: '10' });
    // The same progress as /animate: a place in line, then the video with its buttons.
    expect(submit.events().some((event) => /position|place/i.test(contentOf(event)))).toBe(true);
    expect(final.files.length + (String(contentOf(final)).includes('http') ? 1 : 0)).toBeGreaterThan(0);

    if (process.env.PRINT_TRANSCRIPT) await printTranscript(harness, menu, submit);
  });

  it('uses an embed\'s picture when it is hosted on an allowed host', async () => {
    const menu = await harness.discord.messageContextMenu({
      name: 'Animate image',
      message: { embeds: [{ type: 'image', image: { bytes: await makeImage(512, 512), filename: 'embedded.png', contentType: 'image/png' } }] },
    });
    const submit = await menu.submitModal({ values: { prompt: 'the picture comes alive' } });
    expect(contentOf(await finalMessage(submit))).toMatch(/✅/);
    await harness.app.jobs.idle();
    expect(harness.fal.submits).toHaveLength(1);
  });

  it('says privately that a message without a usable picture has none, with no form and nothing recorded', async () => {
    const none = await harness.discord.messageContextMenu({
      name: 'Animate image',
      message: { content: 'just words', attachments: [{ filename: 'notes.txt', bytes: Buffer.from('hello'), contentType: 'text/plain' }] },
    });
    const refusal = await firstAnswer(none);
    expect(refusal.type).toBe(4);
    expect(refusal.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refusal.content).toContain('That message has no picture I can use');
    expect(none.modal()).toBeUndefined();
    expect(await harness.app.jobRepository.inStates([...UNFINISHED, 'delivered', 'failed'])).toHaveLength(0);
  });
});

/** One member's session as the fake Discord recorded it: context menu → modal → progress → result → Re-roll → Details. */
async function printTranscript(harness: Harness, menu: InteractionHandle, submit: InteractionHandle): Promise<void> {
  const video = await finishedVideo(submit);
  const reroll = await harness.discord.clickButton({ messageId: video.messageId, customId: video.button('Re-roll') });
  await finalMessage(reroll);
  const details = await harness.discord.clickButton({ messageId: video.messageId, customId: video.button('Details') });
  await firstAnswer(details);
  await harness.app.jobs.idle();
  const lines: string[] = [];
  const describe = (label: string, handle: InteractionHandle) => {
    lines.push(`— ${label}`);
    for (const event of handle.events()) {
      const text = contentOf(event).replaceAll('\n', ' ⏎ ');
      const extra = event.callbackType === 9 ? ` modal ${JSON.stringify(handle.modal()?.custom_id)}` : '';
      const buttons = ((event.body?.components ?? event.body?.data?.components ?? []) as Array<{ components?: Array<{ label?: string }> }>)
        .flatMap((row) => row.components ?? [])
        .map((c) => c.label)
        .filter(Boolean);
      lines.push(`  ${event.kind}${event.callbackType ? ` type ${event.callbackType}` : ''}${extra}: ${text}${event.files.length ? ` [file ${event.files[0]!.name}]` : ''}${buttons.length ? ` [buttons: ${buttons.join(' | ')}]` : ''}`);
    }
  };
  describe('context menu "Animate image"', menu);
  describe('modal submit', submit);
  describe('Re-roll click', reroll);
  describe('Details click', details);
  const calls: RecordedDiscordCall[] = harness.discord.calls;
  lines.push(`(${calls.length} Discord calls recorded)`);
  console.log(lines.join('\n'));
}
