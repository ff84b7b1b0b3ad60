// The fake refuses what Discord refuses: bodies that break the published
// limits get 400 with code 50035 and an error tree naming each field, answers
// that do not fit the interaction are refused without acknowledging it, and
// command lists must follow the naming rules. Requests go through the real
// discord.js REST client (its raw methods, since its builders would refuse
// most of these bodies before sending them).
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  DiscordAPIError,
  MessageFlags,
  Routes,
  SlashCommandBuilder,
  type Interaction,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fakeDiscord.js';
import { startTinyBot, type TinyBot } from '../support/fakeDiscordClient.js';

const VALID_MODAL = {
  custom_id: 'prompt-modal',
  title: 'Animate image',
  components: [{ type: 18, label: 'Prompt', component: { type: 4, custom_id: 'prompt', style: 2 } }],
};

/** Discord's nested error tree as `{ 'data.components.0.label': ['CODE'] }`, so a test can compare it whole. */
function flattenErrors(tree: unknown, at: string[] = []): Record<string, string[]> {
  const flat: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    if (key === '_errors') flat[at.join('.')] = (value as Array<{ code: string }>).map((e) => e.code);
    else Object.assign(flat, flattenErrors(value, [...at, key]));
  }
  return flat;
}

/** What the fake answered, as discord.js surfaces it. */
async function refusal(request: Promise<unknown>): Promise<{ status: number; code: number | string; errors: Record<string, string[]> }> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  const raw = error.rawError as { errors?: unknown };
  return { status: error.status, code: error.code, errors: raw.errors ? flattenErrors(raw.errors) : {} };
}

describe('fake Discord form rules', () => {
  let fake: FakeDiscord;
  let bot: TinyBot;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    bot = await startTinyBot(fake);
  });

  afterEach(() => {
    bot.answer = async () => {};
    expect(bot.errors).toEqual([]);
  });

  afterAll(async () => {
    await bot?.destroy();
    await fake?.close();
  });

  function callback(interaction: Interaction, body: unknown): Promise<unknown> {
    return bot.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
  }

  describe('interaction callbacks', () => {
    it('refuses answers that do not fit the interaction and leaves it unacknowledged', async () => {
      const refusals: Array<Awaited<ReturnType<typeof refusal>>> = [];
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) {
          // A command has no message to update, yet.
          refusals.push(await refusal(callback(interaction, { type: 6 })));
          refusals.push(await refusal(callback(interaction, { type: 7, data: { content: 'x' } })));
          await interaction.showModal(VALID_MODAL);
        }
        if (interaction.isModalSubmit()) {
          // No modal in answer to a modal, and no update when no button opened it.
          refusals.push(await refusal(callback(interaction, { type: 9, data: VALID_MODAL })));
          refusals.push(await refusal(callback(interaction, { type: 6 })));
          await interaction.reply({ content: 'Queued', flags: MessageFlags.Ephemeral });
        }
      };

      const command = await fake.sendCommand({ name: 'animate' });
      const submit = await command.submitModal({ values: { prompt: 'waves' } });
      await submit.waitForEvent((e) => e.kind === 'callback');

      expect(refusals).toEqual(
        Array.from({ length: 4 }, () => ({ status: 400, code: 50035, errors: { type: ['INTERACTION_CALLBACK_TYPE_INVALID'] } })),
      );
      expect(command.events().map((e) => e.callbackType)).toEqual([9]);
      expect(submit.events().map((e) => e.callbackType)).toEqual([4]);
    });

    it('checks a modal: title, component count, custom_id and text input and select limits', async () => {
      let refused: Awaited<ReturnType<typeof refusal>> | undefined;
      bot.answer = async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        const textDisplay = { type: 10, content: 'Describe the motion.' };
        refused = await refusal(
          callback(interaction, {
            type: 9,
            data: {
              custom_id: 'prompt-modal',
              title: 'T'.repeat(46),
              components: [
                { type: 18, label: 'Prompt', component: { type: 4, custom_id: 'p'.repeat(101), style: 2, max_length: 4001, label: 'Prompt' } },
                { type: 18, label: 'L'.repeat(46), component: { type: 3, custom_id: 'size', options: [{ label: 'Big', value: 'v'.repeat(101) }], disabled: false } },
                { type: 1, components: [{ type: 4, custom_id: 'seed', style: 1 }] },
                { type: 18, label: 'Again', component: { type: 4, custom_id: 'seed', style: 1 } },
                textDisplay,
                textDisplay,
              ],
            },
          }),
        );
        await interaction.showModal(VALID_MODAL);
      };

      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');

      expect(refused).toEqual({
        status: 400,
        code: 50035,
        errors: {
          'data.title': ['BASE_TYPE_BAD_LENGTH'],
          'data.components': ['BASE_TYPE_BAD_LENGTH', 'COMPONENT_CUSTOM_ID_DUPLICATED'],
          'data.components.0.component.custom_id': ['BASE_TYPE_BAD_LENGTH'],
          'data.components.0.component.label': ['TEXT_INPUT_LABEL_NOT_ALLOWED'],
          'data.components.0.component.max_length': ['NUMBER_TYPE_MAX'],
          'data.components.1.label': ['BASE_TYPE_BAD_LENGTH'],
          'data.components.1.component.options.0.value': ['BASE_TYPE_BAD_LENGTH'],
          'data.components.1.component.disabled': ['COMPONENT_DISABLED_NOT_ALLOWED'],
          'data.components.2.components.0.label': ['BASE_TYPE_REQUIRED'],
        },
      });
      // The valid modal that followed was accepted and recorded; the refused one left no trace.
      expect(command.events().map((e) => e.callbackType)).toEqual([9]);
      expect(command.modal()?.custom_id).toBe('prompt-modal');
    });
  });

  describe('messages', () => {
    const button = (customId: string, label = 'Go') => ({ type: 2, style: 2, custom_id: customId, label });
    const row = (...components: unknown[]) => ({ type: 1, components });

    it('checks components on webhook edits: five buttons a row, five rows, custom_id, label and option limits', async () => {
      let token = '';
      bot.answer = async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        token = interaction.token;
        await interaction.deferReply();
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const edit = (body: unknown) => bot.client.rest.patch(Routes.webhookMessage(fake.applicationId, token, '@original'), { body, auth: false });
      const select = { type: 3, custom_id: 'size', options: [{ label: 'Big', value: 'v'.repeat(101) }] };

      const refused = await refusal(
        edit({
          content: 'Your video',
          components: [
            row(button('a'), button('b'), button('c'), button('d'), button('e'), button('f')),
            row(button('x'.repeat(101), 'L'.repeat(81))),
            row(select),
            row(select, button('g')),
            row(button('h')),
            row(button('a')),
          ],
        }),
      );

      expect(refused).toEqual({
        status: 400,
        code: 50035,
        errors: {
          components: ['BASE_TYPE_MAX_LENGTH', 'COMPONENT_CUSTOM_ID_DUPLICATED', 'COMPONENT_CUSTOM_ID_DUPLICATED'],
          'components.0.components': ['BASE_TYPE_BAD_LENGTH'],
          'components.1.components.0.custom_id': ['BASE_TYPE_BAD_LENGTH'],
          'components.1.components.0.label': ['BASE_TYPE_MAX_LENGTH'],
          'components.2.components.0.options.0.value': ['BASE_TYPE_BAD_LENGTH'],
          'components.3.components': ['COMPONENT_LAYOUT_WIDTH_EXCEEDED'],
          'components.3.components.0.options.0.value': ['BASE_TYPE_BAD_LENGTH'],
        },
      });
      expect(command.events().filter((e) => e.kind === 'edit')).toEqual([]);
      expect(command.originalMessage().content).toBe('');

      await edit({ content: 'Your video', components: [row(button('reroll:1'), button('remix:1'))] });
      expect(command.originalMessage()).toMatchObject({ content: 'Your video', components: [{ components: [{ custom_id: 'reroll:1' }, { custom_id: 'remix:1' }] }] });
    });

    it('refuses an empty follow-up (50006) and a link button with a custom_id in a channel message', async () => {
      let token = '';
      bot.answer = async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        token = interaction.token;
        await interaction.reply({ content: 'ok' });
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const posted = fake.channelMessages.length;

      const empty = await refusal(bot.client.rest.post(Routes.webhook(fake.applicationId, token), { body: { content: '' }, auth: false }));
      const link = await refusal(
        bot.client.rest.post(Routes.channelMessages(fake.channelId), {
          body: { content: 'See', components: [row({ type: 2, style: 5, url: 'https://example.com', custom_id: 'nope', label: 'Open' })] },
        }),
      );
      const tooLong = await refusal(bot.client.rest.post(Routes.channelMessages(fake.channelId), { body: { content: 'x'.repeat(2001) } }));

      expect(empty).toEqual({ status: 400, code: 50006, errors: {} });
      expect(link).toEqual({ status: 400, code: 50035, errors: { 'components.0.components.0.custom_id': ['BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED'] } });
      expect(tooLong).toEqual({ status: 400, code: 50035, errors: { content: ['BASE_TYPE_MAX_LENGTH'] } });
      expect(command.events().filter((e) => e.kind === 'followup')).toEqual([]);
      expect(fake.channelMessages).toHaveLength(posted);
    });
  });

  describe('application commands', () => {
    it('accepts context-menu commands and localizations, and keeps each command id per name and type', async () => {
      const commands = [
        new SlashCommandBuilder()
          .setName('animate')
          .setDescription('Animate a picture')
          .setNameLocalizations({ de: 'animieren', el: 'κινούμενο', 'zh-CN': '动画' })
          .setDescriptionLocalizations({ de: 'Ein Bild animieren' })
          .addStringOption((option) =>
            option.setName('prompt').setDescription('What happens').setRequired(true).setNameLocalizations({ fr: 'consigne' }),
          ),
        new ContextMenuCommandBuilder()
          .setName('Animate image')
          .setType(ApplicationCommandType.Message)
          .setNameLocalizations({ de: 'Bild animieren', 'pt-BR': 'Animar imagem' }),
        new ContextMenuCommandBuilder().setName('animate').setType(ApplicationCommandType.User),
      ].map((builder) => builder.toJSON());

      const first = await bot.client.application!.commands.set(commands, fake.guildId);
      const again = await bot.client.application!.commands.set(commands, fake.guildId);

      const stored = fake.registeredCommands.guild[fake.guildId] as Array<Record<string, unknown>>;
      expect(stored.map((c) => [c.name, c.type, c.description])).toEqual([
        ['animate', 1, 'Animate a picture'],
        ['Animate image', 3, ''],
        ['animate', 2, ''],
      ]);
      expect(stored[1]).toMatchObject({ name_localizations: { de: 'Bild animieren', 'pt-BR': 'Animar imagem' } });
      expect(stored[1]).not.toHaveProperty('options');
      expect([...again.keys()]).toEqual([...first.keys()]);
      expect(new Set(first.keys()).size).toBe(3);

      let commandId: string | undefined;
      bot.answer = async (interaction) => {
        if (!interaction.isMessageContextMenuCommand()) return;
        commandId = interaction.commandId;
        await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      };
      const handle = await fake.messageContextMenu({ name: 'Animate image', message: { content: 'a cat' } });
      await handle.waitForEvent((e) => e.kind === 'callback');
      expect(commandId).toBe(stored[1]!.id);
    });

    it('refuses names, localizations and descriptions Discord refuses, and keeps the previous list', async () => {
      const before = structuredClone(fake.registeredCommands.guild[fake.guildId]);
      const refused = await refusal(
        bot.client.rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), {
          body: [
            { name: 'Animate', description: 'Capital letters' },
            { name: 'animate2', description: 'Bad translations', name_localizations: { de: 'Animieren', xx: 'animate' } },
            { name: 'A'.repeat(33), type: ApplicationCommandType.Message },
            { name: 'Animate image', type: ApplicationCommandType.Message, description: 'Context menus have none' },
            {
              name: 'animate3',
              description: 'Optional before required',
              options: [
                { type: ApplicationCommandOptionType.String, name: 'prompt', description: 'What happens' },
                { type: ApplicationCommandOptionType.Integer, name: 'seed', description: 'Seed', required: true },
              ],
            },
            { name: 'animate4', description: '' },
            { name: 'Animate image', type: ApplicationCommandType.Message },
            { name: 'animate5', description: 'Too long a translation', description_localizations: { fr: 'd'.repeat(101) } },
          ],
        }),
      );

      expect(refused).toEqual({
        status: 400,
        code: 50035,
        errors: {
          '0.name': ['APPLICATION_COMMAND_INVALID_NAME'],
          '1.name_localizations.de': ['APPLICATION_COMMAND_INVALID_NAME'],
          '1.name_localizations.xx': ['BASE_TYPE_CHOICES'],
          '2.name': ['APPLICATION_COMMAND_INVALID_NAME'],
          '3.description': ['APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION'],
          '4.options.1.required': ['APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID'],
          '5.description': ['BASE_TYPE_BAD_LENGTH'],
          '6.name': ['APPLICATION_COMMANDS_DUPLICATE_NAME'],
          '7.description_localizations.fr': ['BASE_TYPE_BAD_LENGTH'],
        },
      });
      expect(fake.registeredCommands.guild[fake.guildId]).toEqual(before);
    });
  });
});
