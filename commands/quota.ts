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
import { localeOf, type Locale } from '../src/i18n/locale.js';
import { localized, messagesFor, orList, type LocalizedText, type SentenceKey } from '../src/i18n/text.js';
import type { CommandContext, SlashCommand } from './interaction.js';
import { described, localizedChoice } from './localizations.js';
import { memberNames } from './memberNames.js';
import { guildIdOf, isModerator, requireModerator } from './permissions.js';

/**
 * The subcommands that set rules, in the order Discord lists them. Their
 * options come from the rule declarations (src/quota/rules.ts), where each
 * rule names its subcommand, option, type and bounds.
 */
const RULE_SUBCOMMANDS: ReadonlyArray<{ name: string; description: LocalizedText; emptyNote?: SentenceKey }> = [
  { name: 'budget', description: localized('command.quota.budget.description') },
  { name: 'members', description: localized('command.quota.members.description'), emptyNote: 'quotaInput.noLimitNote' },
  { name: 'limits', description: localized('command.quota.limits.description') },
  { name: 'channels', description: localized('command.quota.channels.description') },
  { name: 'roles', description: localized('command.quota.roles.description') },
  { name: 'exempt', description: localized('command.quota.exempt.description') },
  { name: 'modlog', description: localized('command.quota.modlog.description') },
];

const LIST_ACTIONS = [
  localizedChoice(localized('command.quota.action.add.choice'), 'add'),
  localizedChoice(localized('command.quota.action.remove.choice'), 'remove'),
  localizedChoice(localized('command.quota.action.clear.choice'), 'clear'),
];

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
    builder.addSubcommand((s) => addRuleOptions(described(s.setName(name), description), name));
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
        described(o.setName(name), description).setRequired(required);
        if (input.min !== undefined) o.setMinValue(input.min);
        if (input.max !== undefined) o.setMaxValue(input.max);
        if (input.choices) o.addChoices(...input.choices.map((choice) => localizedChoice(choice.name, choice.value)));
        return o;
      });
      return;
    case 'number':
      builder.addNumberOption((o) => {
        described(o.setName(name), description).setRequired(required);
        if (input.min !== undefined) o.setMinValue(input.min);
        if (input.max !== undefined) o.setMaxValue(input.max);
        return o;
      });
      return;
    case 'string':
      builder.addStringOption((o) =>
        described(o.setName(name), description)
          .setRequired(required)
          .addChoices(...input.choices.map((choice) => localizedChoice(choice.name, choice.value))),
      );
      return;
    case 'boolean':
      builder.addBooleanOption((o) => described(o.setName(name), description).setRequired(required));
      return;
    case 'channel':
      builder.addChannelOption((o) =>
        described(o.setName(name), description)
          .setRequired(required)
          .addChannelTypes(...input.channelKinds.map((kind) => CHANNEL_TYPES[kind])),
      );
      return;
  }
}

function addListOptions(builder: SlashCommandSubcommandBuilder, { item }: ListInput): void {
  builder.addStringOption((o) =>
    described(o.setName('action'), localized('command.quota.action.description'))
      .setRequired(true)
      .addChoices(...LIST_ACTIONS),
  );
  if (item.type === 'channel') {
    builder.addChannelOption((o) =>
      described(o.setName(item.name), item.description)
        .addChannelTypes(...item.channelKinds.map((kind) => CHANNEL_TYPES[kind])),
    );
  } else {
    builder.addRoleOption((o) => described(o.setName(item.name), item.description));
  }
}

const data = withRuleSubcommands(
  described(new SlashCommandBuilder().setName('quota'), localized('command.quota.description'))
    .setDMPermission(false)
    // The first lock only: it hides the command, and server admins can change it. Handlers check again.
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) => described(s.setName('show'), localized('command.quota.show.description'))),
)
  .addSubcommand((s) =>
    described(s.setName('reset'), localized('command.quota.reset.description')).addUserOption((o) =>
      described(o.setName('member'), localized('command.quota.reset.member.description')).setRequired(true),
    ),
  )
  .addSubcommand((s) => described(s.setName('history'), localized('command.quota.history.description')))
  .addSubcommand((s) => described(s.setName('top'), localized('command.quota.top.description')))
  .addSubcommand((s) =>
    described(s.setName('unset'), localized('command.quota.unset.description')).addStringOption((o) =>
      described(o.setName('setting'), localized('command.quota.unset.setting.description'))
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
  if (action !== 'add' && action !== 'remove' && action !== 'clear') throw new InputError(localized('quotaInput.listAction'));
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
    const note = RULE_SUBCOMMANDS.find((s) => s.name === subcommand)?.emptyNote;
    throw new InputError(localized('quotaInput.giveOne', { names: orList(names), note: note ? localized(note) : '' }));
  }
  // Each value came from its own rule's toValue, whose result is the rule's type.
  return patch as SettingsPatch;
}

async function updated(context: CommandContext, guildId: string, changes: SettingChange[], locale: Locale): Promise<EmbedBuilder> {
  return changesEmbed(changes, await context.quota.overview(guildId), locale);
}

/** A subcommand that sets rules: an id list edit, or the options it was given. */
async function setRules(interaction: ChatInputCommandInteraction, { quota }: CommandContext, guildId: string, subcommand: string): Promise<SettingChange[]> {
  const actorId = interaction.user.id;
  const settings = rulesSetBy(subcommand);
  if (settings.length === 0) throw new InputError(localized('quotaInput.subcommandGone'));
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
  const locale = localeOf(interaction.locale);
  const embed = overviewEmbed(await quota.overview(guildId), locale);
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
  // Moderators read the replies in their own language (the mod-log alerts use the server's).
  const locale = localeOf(interaction.locale);

  requireModerator(interaction, config, localized(subcommand === 'history' || subcommand === 'top' ? 'permissions.seeThat' : 'permissions.changeQuotas'));
  switch (subcommand) {
    case 'unset': {
      const settings = UNSET_CHOICES.get(interaction.options.getString('setting', true));
      if (!settings) throw new InputError(localized('quotaInput.chooseSetting'));
      const patch = Object.fromEntries(settings.map((setting) => [setting, null])) as SettingsPatch;
      return updated(context, guildId, await quota.updateSettings(guildId, actorId, patch), locale);
    }
    case 'reset': {
      const member = interaction.options.getUser('member', true);
      await quota.resetMember(guildId, actorId, member.id);
      const overview = await quota.overview(guildId);
      const t = messagesFor(locale);
      return changesEmbed([], overview, locale)
        .setTitle(t['quotaReset.title'])
        .setDescription(t['quotaReset.description']({ member: `<@${member.id}>` }));
    }
    case 'history':
      return historyEmbed(await quota.history(guildId), locale);
    case 'top': {
      const { period, spenders } = await quota.top(guildId);
      return topEmbed(period, spenders, locale);
    }
    default:
      return updated(context, guildId, await setRules(interaction, context, guildId, subcommand), locale);
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
