import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type EmbedBuilder,
  type SlashCommandSubcommandBuilder,
  type SlashCommandSubcommandsOnlyBuilder,
} from 'discord.js';
import { withCharts } from '../src/discord/chartAttachments.js';
import { changesEmbed, historyEmbed, overviewEmbed, topEmbed } from '../src/discord/quotaFormat.js';
import { InputError } from '../src/errors.js';
import type { SettingChange } from '../src/quota/quotaTypes.js';
import type { ChannelKind, ListInput, ScalarInput } from '../src/quota/ruleKit.js';
import { QUOTA_SETTINGS, UNSET_CHOICES, declarationOf, isListSetting, type QuotaSetting, type SettingsPatch } from '../src/quota/rules.js';
import { spendChart, topMembersChart } from '../src/quota/usageCharts.js';
import { orList } from '../src/quota/wording.js';
import type { CommandContext, SlashCommand } from './interaction.js';
import { memberNames } from './memberNames.js';
import { guildIdOf, isModerator, requireModerator } from './permissions.js';

/**
 * The subcommands that set rules, in the order Discord lists them. Their
 * options come from the rule declarations (src/quota/rules.ts), where each
 * rule names its subcommand, option, type and bounds.
 */
const RULE_SUBCOMMANDS: ReadonlyArray<{ name: string; description: string; emptyNote?: string }> = [
  { name: 'budget', description: 'Set how much /animate may spend per period' },
  { name: 'members', description: 'Limits for each member (0 = no limit)', emptyNote: ' (0 = no limit)' },
  { name: 'limits', description: 'What members may ask for, and how many videos the server makes at once' },
  { name: 'channels', description: 'Channels where /animate works (none listed = every channel)' },
  { name: 'roles', description: 'Roles that may use /animate (none listed = everyone)' },
  { name: 'exempt', description: 'Roles exempt from member limits (the server budget still applies)' },
  { name: 'modlog', description: 'Where budget alerts (80 % and 100 %) go; leave out the channel to stop them' },
];

const LIST_ACTIONS = [
  { name: 'add', value: 'add' },
  { name: 'remove', value: 'remove' },
  { name: 'clear (no restriction)', value: 'clear' },
] as const;

const CHANNEL_TYPES = {
  text: ChannelType.GuildText,
  announcement: ChannelType.GuildAnnouncement,
  forum: ChannelType.GuildForum,
  voice: ChannelType.GuildVoice,
} as const satisfies Record<ChannelKind, ChannelType>;

/** The rules a subcommand sets, in declaration order. */
function rulesSetBy(subcommand: string): QuotaSetting[] {
  return QUOTA_SETTINGS.filter((setting) => declarationOf(setting).input.subcommand === subcommand);
}

function withRuleSubcommands(builder: SlashCommandSubcommandsOnlyBuilder): SlashCommandSubcommandsOnlyBuilder {
  for (const { name, description } of RULE_SUBCOMMANDS) {
    builder.addSubcommand((s) => addRuleOptions(s.setName(name).setDescription(description), name));
  }
  return builder;
}

function addRuleOptions(builder: SlashCommandSubcommandBuilder, subcommand: string): SlashCommandSubcommandBuilder {
  for (const setting of rulesSetBy(subcommand)) {
    const { input } = declarationOf(setting);
    if (input.type === 'list') addListOptions(builder, input);
    else addOption(builder, input);
  }
  return builder;
}

function addOption(builder: SlashCommandSubcommandBuilder, input: ScalarInput<unknown>): void {
  const { name, description } = input;
  const required = input.required ?? false;
  switch (input.type) {
    case 'integer':
      builder.addIntegerOption((o) => {
        o.setName(name).setDescription(description).setRequired(required);
        if (input.min !== undefined) o.setMinValue(input.min);
        if (input.max !== undefined) o.setMaxValue(input.max);
        if (input.choices) o.addChoices(...input.choices);
        return o;
      });
      return;
    case 'number':
      builder.addNumberOption((o) => {
        o.setName(name).setDescription(description).setRequired(required);
        if (input.min !== undefined) o.setMinValue(input.min);
        if (input.max !== undefined) o.setMaxValue(input.max);
        return o;
      });
      return;
    case 'string':
      builder.addStringOption((o) => o.setName(name).setDescription(description).setRequired(required).addChoices(...input.choices));
      return;
    case 'boolean':
      builder.addBooleanOption((o) => o.setName(name).setDescription(description).setRequired(required));
      return;
    case 'channel':
      builder.addChannelOption((o) =>
        o
          .setName(name)
          .setDescription(description)
          .setRequired(required)
          .addChannelTypes(...input.channelKinds.map((kind) => CHANNEL_TYPES[kind])),
      );
      return;
  }
}

function addListOptions(builder: SlashCommandSubcommandBuilder, { item }: ListInput): void {
  builder.addStringOption((o) => o.setName('action').setDescription('What to do').setRequired(true).addChoices(...LIST_ACTIONS));
  if (item.type === 'channel') {
    builder.addChannelOption((o) =>
      o
        .setName(item.name)
        .setDescription(item.description)
        .addChannelTypes(...item.channelKinds.map((kind) => CHANNEL_TYPES[kind])),
    );
  } else {
    builder.addRoleOption((o) => o.setName(item.name).setDescription(item.description));
  }
}

const data = withRuleSubcommands(
  new SlashCommandBuilder()
    .setName('quota')
    .setDescription("See and set this server's /animate budget and rules")
    .setDMPermission(false)
    // The first lock only: it hides the command, and server admins can change it. Handlers check again.
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) => s.setName('show').setDescription("This server's rules and this period's spending")),
)
  .addSubcommand((s) =>
    s
      .setName('reset')
      .setDescription("Give a member back today's clips and cooldown (the server's spending stays)")
      .addUserOption((o) => o.setName('member').setDescription('The member').setRequired(true)),
  )
  .addSubcommand((s) => s.setName('history').setDescription('Who changed which quota setting, and when'))
  .addSubcommand((s) => s.setName('top').setDescription("This period's biggest spenders"))
  .addSubcommand((s) =>
    s
      .setName('unset')
      .setDescription("Return a setting to the bot operator's default")
      .addStringOption((o) =>
        o
          .setName('setting')
          .setDescription('Which setting')
          .setRequired(true)
          .addChoices(...[...UNSET_CHOICES.keys()].map((name) => ({ name, value: name }))),
      ),
  );

/** A raw option value (an id for channel, role and user options): no resolved data needed. */
function idOption(interaction: ChatInputCommandInteraction, name: string): string | undefined {
  const value = interaction.options.get(name)?.value;
  return value === undefined || value === null ? undefined : String(value);
}

function listAction(interaction: ChatInputCommandInteraction): 'add' | 'remove' | 'clear' {
  const action = interaction.options.getString('action', true);
  if (action !== 'add' && action !== 'remove' && action !== 'clear') throw new InputError('Choose add, remove or clear.');
  return action;
}

/** The option's value for its rule; undefined when it was left out (a channel left out: none). */
function optionValue(interaction: ChatInputCommandInteraction, input: ScalarInput<unknown>): unknown {
  const { options } = interaction;
  const required = input.required ?? false;
  switch (input.type) {
    case 'integer': {
      const raw = options.getInteger(input.name, required);
      return raw === null ? undefined : input.toValue(raw);
    }
    case 'number': {
      const raw = options.getNumber(input.name, required);
      return raw === null ? undefined : input.toValue(raw);
    }
    case 'string': {
      const raw = options.getString(input.name, required);
      return raw === null ? undefined : input.toValue(raw);
    }
    case 'boolean': {
      const raw = options.getBoolean(input.name, required);
      return raw === null ? undefined : input.toValue(raw);
    }
    case 'channel': {
      const id = idOption(interaction, input.name);
      return id === undefined ? null : input.toValue(id);
    }
  }
}

/** The settings a subcommand's options set; at least one must be given. */
function rulePatch(interaction: ChatInputCommandInteraction, subcommand: string): SettingsPatch {
  const patch: Partial<Record<QuotaSetting, unknown>> = {};
  const names: string[] = [];
  for (const setting of rulesSetBy(subcommand)) {
    const { input } = declarationOf(setting);
    if (input.type === 'list') continue;
    names.push(input.name);
    const value = optionValue(interaction, input);
    if (value !== undefined) patch[setting] = value;
  }
  if (Object.keys(patch).length === 0) {
    const note = RULE_SUBCOMMANDS.find((s) => s.name === subcommand)?.emptyNote ?? '';
    throw new InputError(`Give at least one of ${orList(names)}${note}.`);
  }
  // Each value came from its own rule's toValue, whose result is the rule's type.
  return patch as SettingsPatch;
}

async function updated(context: CommandContext, guildId: string, changes: SettingChange[]): Promise<EmbedBuilder> {
  return changesEmbed(changes, await context.quota.overview(guildId));
}

/** A subcommand that sets rules: an id list edit, or the options it was given. */
async function setRules(interaction: ChatInputCommandInteraction, { quota }: CommandContext, guildId: string, subcommand: string): Promise<SettingChange[]> {
  const actorId = interaction.user.id;
  const settings = rulesSetBy(subcommand);
  if (settings.length === 0) throw new InputError('This subcommand is not available any more.');
  const list = settings.find(isListSetting);
  if (list) {
    const { input } = declarationOf(list);
    const id = input.type === 'list' ? idOption(interaction, input.item.name) : undefined;
    return quota.editList(guildId, actorId, list, listAction(interaction), id);
  }
  return quota.updateSettings(guildId, actorId, rulePatch(interaction, subcommand));
}

/** The rules and spending, with this period's spending as a chart (and the top members, for moderators). */
async function show(interaction: ChatInputCommandInteraction, { quota, config }: CommandContext): Promise<ReturnType<typeof withCharts>> {
  const guildId = guildIdOf(interaction);
  const embed = overviewEmbed(await quota.overview(guildId));
  const charts = [spendChart(await quota.spendByDay(guildId))];
  // Who spent what is for moderators (as /quota top), even where admins opened /quota up.
  if (isModerator(interaction, config)) {
    const { spenders } = await quota.top(guildId);
    const names = await memberNames(interaction, spenders.map((spender) => spender.userId));
    charts.push(topMembersChart(spenders, (id) => names.get(id)));
  }
  return withCharts(embed, await Promise.all(charts));
}

async function run(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<EmbedBuilder> {
  const { quota, config } = context;
  const guildId = guildIdOf(interaction);
  const actorId = interaction.user.id;
  const subcommand = interaction.options.getSubcommand(true);

  requireModerator(interaction, config, subcommand === 'history' || subcommand === 'top' ? 'see that' : 'change quotas');
  switch (subcommand) {
    case 'unset': {
      const settings = UNSET_CHOICES.get(interaction.options.getString('setting', true));
      if (!settings) throw new InputError('Choose a setting from the list.');
      const patch = Object.fromEntries(settings.map((setting) => [setting, null])) as SettingsPatch;
      return updated(context, guildId, await quota.updateSettings(guildId, actorId, patch));
    }
    case 'reset': {
      const member = interaction.options.getUser('member', true);
      await quota.resetMember(guildId, actorId, member.id);
      const overview = await quota.overview(guildId);
      return changesEmbed([], overview)
        .setTitle('Member reset')
        .setDescription(`<@${member.id}> has today’s clips and cooldown back. The server’s spending is unchanged (it was paid for).`);
    }
    case 'history':
      return historyEmbed(await quota.history(guildId));
    case 'top': {
      const { period, spenders } = await quota.top(guildId);
      return topEmbed(period, spenders);
    }
    default:
      return updated(context, guildId, await setRules(interaction, context, guildId, subcommand));
  }
}

export const quota = {
  kind: 'slash',
  data,
  async execute(interaction, context) {
    const reply =
      interaction.options.getSubcommand(true) === 'show' ? await show(interaction, context) : { embeds: [await run(interaction, context)] };
    await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  },
} satisfies SlashCommand;
