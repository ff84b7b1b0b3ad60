// The interactions beyond slash commands, driven with the real discord.js 14:
// context menus on messages and users, modals (Label-wrapped inputs and the
// older action rows) and their submits, buttons and selects on any message the
// bot sent, and the member's and server's locales on every interaction.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ComponentType,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type TextChannel,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fakeDiscord.js';
import { startTinyBot, type TinyBot } from '../support/fakeDiscordClient.js';

const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const OTHER_MEMBER = '1300000000000000001';

/** The form the "Animate image" context menu will show: Label-wrapped inputs, as Discord now recommends. */
function animateModal(): ModalBuilder {
  return new ModalBuilder()
    .setCustomId('animate-modal:42')
    .setTitle('Animate image')
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Prompt')
        .setDescription('What should happen in the video?')
        .setTextInputComponent(new TextInputBuilder().setCustomId('prompt').setStyle(TextInputStyle.Paragraph).setMaxLength(800)),
      new LabelBuilder()
        .setLabel('Negative prompt')
        .setTextInputComponent(new TextInputBuilder().setCustomId('negative_prompt').setStyle(TextInputStyle.Short).setRequired(false)),
      new LabelBuilder()
        .setLabel('Resolution')
        .setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId('resolution')
            .addOptions({ label: '480p', value: '480p' }, { label: '720p', value: '720p', default: true }, { label: '1080p', value: '1080p' }),
        ),
      new LabelBuilder()
        .setLabel('Duration')
        .setStringSelectMenuComponent(
          new StringSelectMenuBuilder().setCustomId('duration').addOptions({ label: '5 s', value: '5' }, { label: '10 s', value: '10' }),
        ),
    );
}

function buttonRow(...customIds: string[]): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    customIds.map((customId) => new ButtonBuilder().setCustomId(customId).setLabel(customId.split(':')[0]!).setStyle(ButtonStyle.Secondary)),
  );
}

describe('fake Discord interactions beyond slash commands', () => {
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

  describe('context menus', () => {
    it('sends a message command with the target message, its attachments and its embed pictures', async () => {
      let seen: Record<string, unknown> | undefined;
      bot.answer = async (interaction) => {
        if (!interaction.isMessageContextMenuCommand()) return;
        const target = interaction.targetMessage;
        seen = {
          name: interaction.commandName,
          targetId: target.id,
          attachment: target.attachments.first()?.url,
          richImage: target.embeds[0]?.image?.proxyURL,
          linkThumbnail: target.embeds[1]?.thumbnail?.url,
          locale: interaction.locale,
          guildLocale: interaction.guildLocale,
        };
        await interaction.reply({ content: 'Looking at it', flags: MessageFlags.Ephemeral });
      };

      const handle = await fake.messageContextMenu({
        name: 'Animate image',
        message: {
          content: 'my cat',
          attachments: [{ filename: 'cat.png', bytes: PNG_BYTES, contentType: 'image/png', width: 64, height: 64 }],
          embeds: [
            { type: 'rich', title: 'A dog', image: { bytes: PNG_BYTES, filename: 'dog.png', contentType: 'image/png', width: 32, height: 32 } },
            { type: 'image', url: 'https://example.com/cat.png', thumbnail: { url: 'https://example.com/cat.png', bytes: PNG_BYTES, width: 64, height: 64 } },
          ],
        },
        locale: 'de',
        guildLocale: 'fr',
      });
      await handle.waitForEvent((e) => e.kind === 'callback');

      const payload = handle.payload();
      expect(payload).toMatchObject({ type: 2, locale: 'de', guild_locale: 'fr', data: { name: 'Animate image', type: 3 } });
      const target = payload.data.resolved.messages[payload.data.target_id];
      expect(target).toMatchObject({ id: payload.data.target_id, content: 'my cat', author: { id: fake.memberUserId } });
      expect(target.embeds[1]).toMatchObject({ type: 'image', url: 'https://example.com/cat.png', thumbnail: { url: 'https://example.com/cat.png', width: 64 } });
      expect(seen).toMatchObject({ name: 'Animate image', targetId: payload.data.target_id, locale: 'de', guildLocale: 'fr' });
      expect(seen!.linkThumbnail).toBe('https://example.com/cat.png');
      // Both the attachment and the proxied embed picture download from the fake CDN.
      for (const url of [seen!.attachment, seen!.richImage, target.embeds[1].thumbnail.proxy_url] as string[]) {
        expect(new URL(url).host).toBe(fake.attachmentHost);
        expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(PNG_BYTES);
      }
      expect(handle.originalMessage()).toMatchObject({ content: 'Looking at it', flags: MessageFlags.Ephemeral, type: 23 });
    });

    it('points a message command at a message the bot sent', async () => {
      let content: string | undefined;
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) await interaction.reply({ content: 'Here is your video' });
        if (interaction.isMessageContextMenuCommand()) {
          content = interaction.targetMessage.content;
          await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
        }
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');

      const handle = await fake.messageContextMenu({ name: 'Animate image', message: { messageId: command.originalMessage().id } });
      await handle.waitForEvent((e) => e.kind === 'callback');

      expect(content).toBe('Here is your video');
      expect(handle.payload().data.target_id).toBe(command.originalMessage().id);
      await expect(fake.messageContextMenu({ name: 'Animate image', message: { messageId: '1' } })).rejects.toThrow(/no message 1/);
    });

    it('sends a user command with the target user and, when they are in the server, their member data', async () => {
      const seen: Array<{ id: string; username: string; inGuild: boolean }> = [];
      bot.answer = async (interaction) => {
        if (!interaction.isUserContextMenuCommand()) return;
        seen.push({ id: interaction.targetUser.id, username: interaction.targetUser.username, inGuild: interaction.targetMember !== null });
        await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      };

      const member = await fake.userContextMenu({ name: 'Show usage', target: { id: OTHER_MEMBER, username: 'neighbour', roles: ['1300000000000000009'] } });
      await member.waitForEvent((e) => e.kind === 'callback');
      const stranger = await fake.userContextMenu({ name: 'Show usage', target: { id: '1300000000000000002', username: 'gone', inGuild: false } });
      await stranger.waitForEvent((e) => e.kind === 'callback');

      expect(member.payload().data).toMatchObject({
        type: 2,
        target_id: OTHER_MEMBER,
        resolved: { users: { [OTHER_MEMBER]: { username: 'neighbour' } }, members: { [OTHER_MEMBER]: { roles: ['1300000000000000009'] } } },
      });
      // Resolved members are partial: no user, deaf or mute.
      expect(Object.keys(member.payload().data.resolved.members[OTHER_MEMBER])).not.toContain('user');
      expect(stranger.payload().data.resolved.members).toBeUndefined();
      expect(seen).toEqual([
        { id: OTHER_MEMBER, username: 'neighbour', inGuild: true },
        { id: '1300000000000000002', username: 'gone', inGuild: false },
      ]);
    });
  });

  describe('modals', () => {
    it('records a Label modal and sends its submit the way discord.js reads it', async () => {
      let read: Record<string, unknown> | undefined;
      bot.answer = async (interaction) => {
        if (interaction.isMessageContextMenuCommand()) await interaction.showModal(animateModal());
        if (interaction.isModalSubmit()) {
          read = {
            customId: interaction.customId,
            prompt: interaction.fields.getTextInputValue('prompt'),
            negativePrompt: interaction.fields.getTextInputValue('negative_prompt'),
            resolution: interaction.fields.getStringSelectValues('resolution'),
            duration: interaction.fields.getStringSelectValues('duration'),
            fromMessage: interaction.isFromMessage(),
            userId: interaction.user.id,
            locale: interaction.locale,
          };
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          await interaction.editReply({ content: 'Queued' });
        }
      };

      const handle = await fake.messageContextMenu({
        name: 'Animate image',
        message: { attachments: [{ filename: 'cat.png', bytes: PNG_BYTES, contentType: 'image/png' }] },
        userId: OTHER_MEMBER,
        locale: 'ja',
      });
      const submit = await handle.submitModal({ values: { prompt: 'the cat waves', negative_prompt: '', resolution: ['720p'], duration: ['5'] } });
      await submit.waitForEvent((e) => e.kind === 'edit');

      // The modal as the bot sent it, and as Discord keeps it: ids numbered depth first.
      expect(handle.events()).toHaveLength(1);
      expect(handle.events()[0]).toMatchObject({ kind: 'callback', callbackType: 9, body: { type: 9, data: JSON.parse(JSON.stringify(animateModal().toJSON())) } });
      expect(handle.originalMessage()).toBeUndefined();
      const modal = handle.modal()!;
      expect([modal.custom_id, modal.title]).toEqual(['animate-modal:42', 'Animate image']);
      expect(modal.components.map((label) => [label.id, label.component?.id])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);

      expect(submit.payload()).toMatchObject({ type: 5, member: { user: { id: OTHER_MEMBER } }, locale: 'ja', guild_locale: 'en-US' });
      expect(submit.payload().message).toBeUndefined();
      expect(submit.payload().data).toEqual({
        custom_id: 'animate-modal:42',
        components: [
          { type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'prompt', value: 'the cat waves' } },
          { type: 18, id: 3, component: { type: 4, id: 4, custom_id: 'negative_prompt', value: '' } },
          { type: 18, id: 5, component: { type: 3, id: 6, custom_id: 'resolution', values: ['720p'] } },
          { type: 18, id: 7, component: { type: 3, id: 8, custom_id: 'duration', values: ['5'] } },
        ],
      });
      expect(read).toEqual({
        customId: 'animate-modal:42',
        prompt: 'the cat waves',
        negativePrompt: '',
        resolution: ['720p'],
        duration: ['5'],
        fromMessage: false,
        userId: OTHER_MEMBER,
        locale: 'ja',
      });
      expect(submit.originalMessage()).toMatchObject({ content: 'Queued', flags: MessageFlags.Ephemeral });
    });

    it('fills untouched fields with their defaults and refuses answers a member could not give', async () => {
      let submitted: unknown[] = [];
      bot.answer = async (interaction) => {
        if (interaction.isMessageContextMenuCommand()) await interaction.showModal(animateModal());
        if (interaction.isModalSubmit()) {
          submitted = [interaction.fields.getTextInputValue('negative_prompt'), interaction.fields.getStringSelectValues('resolution')];
          await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
        }
      };
      const handle = await fake.messageContextMenu({ name: 'Animate image', message: { content: 'x' } });

      await expect(handle.submitModal({ values: { prompt: 'x', duration: ['5'], seed: '3' } })).rejects.toThrow(/no field seed/);
      await expect(handle.submitModal({ values: { duration: ['5'] } })).rejects.toThrow(/prompt is required/);
      await expect(handle.submitModal({ values: { prompt: 'x', duration: ['7'] } })).rejects.toThrow(/not 7/);
      await expect(handle.submitModal({ values: { prompt: 'x', duration: ['5', '10'] } })).rejects.toThrow(/1–1 values/);
      await expect(handle.submitModal({ values: { prompt: 'x'.repeat(801), duration: ['5'] } })).rejects.toThrow(/0–800 characters/);
      await expect(handle.submitModal({ values: { prompt: ['x'], duration: ['5'] } })).rejects.toThrow(/text input/);

      const submit = await handle.submitModal({ values: { prompt: 'x', duration: ['10'] } });
      await submit.waitForEvent((e) => e.kind === 'callback');
      expect(submitted).toEqual(['', ['720p']]);
    });

    it('sends the older action-row modal back as rows of text inputs', async () => {
      let prompt: string | undefined;
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) {
          await interaction.showModal({
            custom_id: 'legacy',
            title: 'Old form',
            components: [
              { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: 'prompt', label: 'Prompt', style: TextInputStyle.Short }] },
            ],
          });
        }
        if (interaction.isModalSubmit()) {
          prompt = interaction.fields.getTextInputValue('prompt');
          await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
        }
      };
      const handle = await fake.sendCommand({ name: 'animate' });
      const submit = await handle.submitModal({ values: { prompt: 'hello' } });
      await submit.waitForEvent((e) => e.kind === 'callback');

      expect(submit.payload().data.components).toEqual([{ type: 1, id: 1, components: [{ type: 4, id: 2, custom_id: 'prompt', value: 'hello' }] }]);
      expect(prompt).toBe('hello');
    });
  });

  describe('buttons and selects', () => {
    it('lets another member click a button on the original response; deferUpdate, followUp and editReply land where Discord puts them', async () => {
      let seen: Record<string, unknown> | undefined;
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) {
          await interaction.deferReply();
          await interaction.editReply({ content: 'Your video', components: [buttonRow('reroll:7', 'remix:7')] });
        }
        if (interaction.isButton()) {
          seen = {
            customId: interaction.customId,
            messageId: interaction.message.id,
            messageContent: interaction.message.content,
            userId: interaction.user.id,
            locale: interaction.locale,
            canManage: interaction.memberPermissions?.has('ManageGuild'),
          };
          await interaction.deferUpdate();
          await interaction.followUp({ content: 'Re-rolling', flags: MessageFlags.Ephemeral });
          await interaction.editReply({ content: 'Your video (re-rolled)', components: [] });
        }
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'edit');
      const original = command.originalMessage();
      // Discord numbers stored components.
      expect(original.components[0]).toMatchObject({ type: 1, id: 1, components: [{ id: 2, custom_id: 'reroll:7' }, { id: 3, custom_id: 'remix:7' }] });

      const click = await fake.clickButton({
        messageId: original.id,
        customId: 'reroll:7',
        userId: OTHER_MEMBER,
        memberPermissions: '32',
        locale: 'pt-BR',
      });
      await click.waitForEvent((e) => e.kind === 'edit');

      expect(click.payload()).toMatchObject({
        type: 3,
        data: { component_type: 2, custom_id: 'reroll:7', id: 2 },
        message: { id: original.id, content: 'Your video', interaction_metadata: { user: { id: fake.memberUserId } } },
        member: { user: { id: OTHER_MEMBER }, permissions: '32' },
        locale: 'pt-BR',
        guild_locale: 'en-US',
      });
      expect(seen).toEqual({
        customId: 'reroll:7',
        messageId: original.id,
        messageContent: 'Your video',
        userId: OTHER_MEMBER,
        locale: 'pt-BR',
        canManage: true,
      });
      expect(click.events().map((e) => [e.kind, e.callbackType])).toEqual([['callback', 6], ['followup', undefined], ['edit', undefined]]);
      expect(click.events()[1]!.body).toMatchObject({ content: 'Re-rolling', flags: MessageFlags.Ephemeral });
      // The click's @original is the clicked message: the edit changed the command's response.
      expect(command.originalMessage()).toMatchObject({ content: 'Your video (re-rolled)', components: [] });
      expect(click.originalMessage().id).toBe(original.id);
    });

    it('updates a follow-up message when its button is clicked', async () => {
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) {
          await interaction.reply({ content: 'Working' });
          await interaction.followUp({ content: 'Done', components: [buttonRow('again:1')] });
        }
        if (interaction.isButton()) await interaction.update({ content: 'Starting again', components: [] });
      };
      const command = await fake.sendCommand({ name: 'animate' });
      const followUp = await command.waitForEvent((e) => e.kind === 'followup');

      const click = await fake.clickButton({ messageId: followUp.messageId!, customId: 'again:1' });
      const update = await click.waitForEvent((e) => e.kind === 'callback');

      expect(update.callbackType).toBe(7);
      expect(fake.message(followUp.messageId!)).toMatchObject({ content: 'Starting again', components: [] });
      expect(command.originalMessage().content).toBe('Working');
    });

    it('answers a click on a channel message posted with the bot token with a new ephemeral message', async () => {
      bot.answer = async (interaction) => {
        if (interaction.isButton()) await interaction.reply({ content: 'Only you see this', flags: MessageFlags.Ephemeral });
      };
      const channel = bot.client.channels.cache.get(fake.channelId) as TextChannel;
      const posted = await channel.send({ content: 'Delivered late', components: [buttonRow('remix:9')] });
      expect(fake.channelMessages.at(-1)?.messageId).toBe(posted.id);

      const click = await fake.clickButton({ messageId: posted.id, customId: 'remix:9', userId: OTHER_MEMBER });
      await click.waitForEvent((e) => e.kind === 'callback');

      expect(click.payload().message).toMatchObject({ id: posted.id, author: { id: fake.botUserId } });
      expect(click.events()[0]!.callbackType).toBe(4);
      expect(click.originalMessage()).toMatchObject({
        content: 'Only you see this',
        flags: MessageFlags.Ephemeral,
        interaction_metadata: { type: 3, user: { id: OTHER_MEMBER }, interacted_message_id: posted.id },
      });
      expect(fake.message(posted.id).content).toBe('Delivered late');
    });

    it('answers a click with a deferred new message, leaving the clicked message alone', async () => {
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) await interaction.reply({ content: 'Your video', components: [buttonRow('usage:1')] });
        if (interaction.isButton()) {
          await interaction.deferReply({ flags: MessageFlags.Ephemeral });
          await interaction.editReply({ content: 'You made 3 clips today' });
        }
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const messageId = command.originalMessage().id;

      const click = await fake.clickButton({ messageId, customId: 'usage:1', userId: OTHER_MEMBER });
      await click.waitForEvent((e) => e.kind === 'edit');

      expect(click.events()[0]!.callbackType).toBe(5);
      expect(click.originalMessage().id).not.toBe(messageId);
      expect(click.originalMessage()).toMatchObject({ content: 'You made 3 clips today', flags: MessageFlags.Ephemeral });
      expect(fake.message(messageId).content).toBe('Your video');
    });

    it('opens a modal from a button; the submit carries the message and may update it', async () => {
      let fromMessage: boolean | undefined;
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) await interaction.reply({ content: 'Your video', components: [buttonRow('remix:3')] });
        if (interaction.isButton()) await interaction.showModal(animateModal());
        if (interaction.isModalSubmit()) {
          fromMessage = interaction.isFromMessage();
          if (interaction.isFromMessage()) await interaction.update({ content: `Remixing: ${interaction.fields.getTextInputValue('prompt')}`, components: [] });
        }
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const messageId = command.originalMessage().id;

      const click = await fake.clickButton({ messageId, customId: 'remix:3' });
      const submit = await click.submitModal({ values: { prompt: 'now at night', duration: ['10'] } });
      await submit.waitForEvent((e) => e.kind === 'callback');

      expect(click.events()[0]!.callbackType).toBe(9);
      expect(submit.payload().message).toMatchObject({ id: messageId, content: 'Your video' });
      expect(submit.events()[0]!.callbackType).toBe(7);
      expect(fromMessage).toBe(true);
      expect(fake.message(messageId)).toMatchObject({ content: 'Remixing: now at night', components: [] });
    });

    it('sends string select picks with their values', async () => {
      let picked: string[] | undefined;
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) {
          const select = new StringSelectMenuBuilder()
            .setCustomId('resolution:5')
            .setMaxValues(2)
            .addOptions({ label: '480p', value: '480p' }, { label: '720p', value: '720p' }, { label: '1080p', value: '1080p' });
          await interaction.reply({ content: 'Pick', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select)] });
        }
        if (interaction.isStringSelectMenu()) {
          picked = interaction.values;
          await interaction.update({ content: `Picked ${interaction.values.join(' and ')}`, components: [] });
        }
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const messageId = command.originalMessage().id;

      await expect(fake.selectMenu({ messageId, customId: 'resolution:5', values: ['4k'] })).rejects.toThrow(/not 4k/);
      await expect(fake.selectMenu({ messageId, customId: 'resolution:5', values: ['480p', '720p', '1080p'] })).rejects.toThrow(/1–2 values/);
      const select = await fake.selectMenu({ messageId, customId: 'resolution:5', values: ['480p', '720p'] });
      await select.waitForEvent((e) => e.kind === 'callback');

      expect(select.payload().data).toEqual({ component_type: 3, custom_id: 'resolution:5', id: 2, values: ['480p', '720p'] });
      expect(picked).toEqual(['480p', '720p']);
      expect(fake.message(messageId).content).toBe('Picked 480p and 720p');
    });

    it('refuses clicks a member could not make, unless the test says the click is stale', async () => {
      bot.answer = async (interaction) => {
        if (interaction.isChatInputCommand()) {
          const disabled = new ButtonBuilder().setCustomId('old:1').setLabel('Old').setStyle(ButtonStyle.Secondary).setDisabled(true);
          await interaction.reply({
            content: 'Just for you',
            flags: MessageFlags.Ephemeral,
            components: [buttonRow('cancel:1').addComponents(disabled)],
          });
        }
        if (interaction.isButton()) await interaction.deferUpdate();
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const messageId = command.originalMessage().id;

      await expect(fake.clickButton({ messageId, customId: 'cancel:2' })).rejects.toThrow(/shows no button cancel:2 \(custom_ids: cancel:1, old:1\)/);
      await expect(fake.clickButton({ messageId, customId: 'old:1' })).rejects.toThrow(/disabled/);
      await expect(fake.clickButton({ messageId, customId: 'cancel:1', userId: OTHER_MEMBER })).rejects.toThrow(/ephemeral/);
      await expect(fake.clickButton({ messageId: '42', customId: 'cancel:1' })).rejects.toThrow(/no message 42/);

      const stale = await fake.clickButton({ messageId, customId: 'cancel:2', stale: true });
      await stale.waitForEvent((e) => e.kind === 'callback');
      expect(stale.payload().data).toEqual({ component_type: 2, custom_id: 'cancel:2' });
    });
  });

  describe('locales', () => {
    it('sends en-US for the member and the server unless a test sets them, on every kind of interaction', async () => {
      const seen: Array<[string, string | null]> = [];
      bot.answer = async (interaction) => {
        seen.push([interaction.locale, interaction.guildLocale]);
        if (interaction.isChatInputCommand()) await interaction.reply({ content: 'Hi', components: [buttonRow('hello:1')] });
        if (interaction.isButton()) await interaction.deferUpdate();
      };
      const command = await fake.sendCommand({ name: 'animate' });
      await command.waitForEvent((e) => e.kind === 'callback');
      const click = await fake.clickButton({ messageId: command.originalMessage().id, customId: 'hello:1', locale: 'es-419', guildLocale: 'it' });
      await click.waitForEvent((e) => e.kind === 'callback');

      expect(command.payload()).toMatchObject({ locale: 'en-US', guild_locale: 'en-US', guild: { locale: 'en-US' } });
      expect(click.payload()).toMatchObject({ locale: 'es-419', guild_locale: 'it', guild: { locale: 'it' } });
      expect(seen).toEqual([
        ['en-US', 'en-US'],
        ['es-419', 'it'],
      ]);
      await expect(fake.sendCommand({ name: 'animate', locale: 'english' })).rejects.toThrow(/not a Discord locale/);
    });
  });
});
