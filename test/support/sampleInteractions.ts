import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { customIdFor } from '../../commands/customId.js';
import type {
  ButtonHandler,
  InteractionHandler,
  MessageContextMenuCommand,
  ModalHandler,
  SlashCommand,
  UserContextMenuCommand,
} from '../../commands/interaction.js';

/**
 * One small handler of every kind the router knows, for tests of the router
 * and the registry themselves: the bot has no context menu, modal or
 * autocomplete of its own yet. Each answers with a sentence that shows what
 * reached it.
 */

export const quoteMessage = {
  kind: 'messageContextMenu',
  data: new ContextMenuCommandBuilder().setName('Quote message').setType(ApplicationCommandType.Message),
  async execute(interaction) {
    await interaction.reply({ content: `quoted: ${interaction.targetMessage.content}`, flags: MessageFlags.Ephemeral });
  },
} satisfies MessageContextMenuCommand;

/** Written as JSON rather than with a builder: both forms are accepted. */
export const waveAt = {
  kind: 'userContextMenu',
  data: { name: 'Wave', type: ApplicationCommandType.User },
  async execute(interaction) {
    await interaction.reply({ content: `waved at ${interaction.targetUser.id}`, flags: MessageFlags.Ephemeral });
  },
} satisfies UserContextMenuCommand;

export const renameForm = {
  kind: 'modal',
  action: 'rename',
  customId: (id) => customIdFor('rename', id),
  async execute(interaction, id) {
    await interaction.reply({ content: `renamed ${id} to ${interaction.fields.getTextInputValue('name')}`, flags: MessageFlags.Ephemeral });
  },
} satisfies ModalHandler;

export const echoButton = {
  kind: 'button',
  action: 'echo',
  customId: (id) => customIdFor('echo', id),
  async execute(interaction, id) {
    await interaction.reply({ content: `echo ${id}`, flags: MessageFlags.Ephemeral });
  },
} satisfies ButtonHandler;

export const FRUITS = ['apple', 'banana', 'blueberry', 'cherry'];
/** Typing this in the autocompleted option makes the handler throw, as a bug would. */
export const AUTOCOMPLETE_BUG_INPUT = 'bug';

export const pickFruit = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('fruit')
    .setDescription('Pick a fruit')
    .addStringOption((o) => o.setName('name').setDescription('Which fruit').setRequired(true).setAutocomplete(true)),
  async execute(interaction) {
    await interaction.reply({ content: `picked ${interaction.options.getString('name', true)}`, flags: MessageFlags.Ephemeral });
  },
  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().toLowerCase();
    if (typed === AUTOCOMPLETE_BUG_INPUT) throw new Error('TypeError in /srv/bot/fruit.ts:12');
    await interaction.respond(FRUITS.filter((fruit) => fruit.startsWith(typed)).map((fruit) => ({ name: fruit, value: fruit })));
  },
} satisfies SlashCommand;

export const sampleHandlers: readonly InteractionHandler[] = [quoteMessage, waveAt, renameForm, echoButton, pickFruit];
