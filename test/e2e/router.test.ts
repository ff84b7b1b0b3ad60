import { ApplicationCommandOptionType, ApplicationCommandType, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interactionHandlers } from '../../commands/registry.js';
import type { InteractionHandle } from '../fakes/fakeDiscord.js';
import { contentOf, startHarness, type Harness } from '../support/harness.js';
import { AUTOCOMPLETE_BUG_INPUT, echoButton, renameForm, sampleHandlers } from '../support/sampleInteractions.js';

describe('the interaction router', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ interactionHandlers: [...interactionHandlers, ...sampleHandlers] });
  });
  afterEach(async () => {
    await harness.close();
  });

  async function firstAnswer(handle: InteractionHandle): Promise<{ content: string; ephemeral: boolean }> {
    const event = await handle.waitForEvent((e) => e.kind === 'callback' || e.kind === 'followup');
    const flags = Number((event.kind === 'callback' ? event.body?.data?.flags : event.body?.flags) ?? 0);
    return { content: contentOf(event), ephemeral: (flags & MessageFlags.Ephemeral) !== 0 };
  }

  function quoteMessage(content = 'hello there'): Promise<InteractionHandle> {
    return harness.discord.sendCommand({ name: 'Quote message', commandType: ApplicationCommandType.Message, targetMessage: { content } });
  }

  it('routes a message context menu command to its handler', async () => {
    expect((await firstAnswer(await quoteMessage('the boat drifts'))).content).toBe('quoted: the boat drifts');
  });

  it('routes a user context menu command to its handler', async () => {
    const handle = await harness.discord.sendCommand({
      name: 'Wave',
      commandType: ApplicationCommandType.User,
      targetUser: { id: '1200000000000000009' },
    });
    expect((await firstAnswer(handle)).content).toBe('waved at 1200000000000000009');
  });

  it('routes a button by the action in its custom id and hands the handler the id', async () => {
    const quoted = await quoteMessage();
    await firstAnswer(quoted);
    const click = await harness.discord.clickButton(quoted, echoButton.customId('job-7'));
    expect((await firstAnswer(click)).content).toBe('echo job-7');
  });

  it('routes a modal submit by the action in its custom id, with the id and the fields', async () => {
    const submit = await harness.discord.submitModal(renameForm.customId('job-42'), { name: 'Boaty' });
    expect((await firstAnswer(submit)).content).toBe('renamed job-42 to Boaty');
  });

  it("sends autocomplete to the slash command's autocomplete handler", async () => {
    const handle = await harness.discord.sendAutocomplete({
      name: 'fruit',
      options: [{ name: 'name', type: ApplicationCommandOptionType.String, value: 'b', focused: true }],
    });
    const answer = await handle.waitForEvent((e) => e.kind === 'callback');
    expect(answer.callbackType).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(answer.body.data.choices).toEqual([
      { name: 'banana', value: 'banana' },
      { name: 'blueberry', value: 'blueberry' },
    ]);
  });

  it('answers a bug in an autocomplete handler with no suggestions, and logs it with a report id', async () => {
    const handle = await harness.discord.sendAutocomplete({
      name: 'fruit',
      options: [{ name: 'name', type: ApplicationCommandOptionType.String, value: AUTOCOMPLETE_BUG_INPUT, focused: true }],
    });
    const answer = await handle.waitForEvent((e) => e.kind === 'callback');
    expect(answer.body.data.choices).toEqual([]);
    const logged = harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const entry = logged.find((line) => line.msg === 'interaction failed' && line.interactionId === handle.id);
    expect(entry).toMatchObject({ interactionKind: 'autocomplete', command: 'fruit' });
    expect(entry?.reportId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('tells the member privately that a button with an unknown or malformed custom id does not work any more', async () => {
    const quoted = await quoteMessage();
    await firstAnswer(quoted);
    for (const customId of ['upscale:job-1', 'not a custom id']) {
      const click = await harness.discord.clickButton(quoted, customId);
      expect(await firstAnswer(click), customId).toEqual({ content: '❌ This button does not work any more.', ephemeral: true });
    }
  });

  it('tells the member privately that a form with an unknown custom id does not work any more', async () => {
    const submit = await harness.discord.submitModal('upscale:job-1', { prompt: 'a storm' });
    expect(await firstAnswer(submit)).toEqual({ content: '❌ This form does not work any more.', ephemeral: true });
  });

  it('tells the member privately that a context menu command it does not know is not available any more', async () => {
    const handle = await harness.discord.sendCommand({ name: 'Quote message', commandType: ApplicationCommandType.User });
    expect(await firstAnswer(handle)).toEqual({ content: '❌ This command is not available any more.', ephemeral: true });
  });
});
