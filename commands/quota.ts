import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type EmbedBuilder,
} from 'discord.js';
import type { BudgetPeriod, Resolution } from '../src/config/config.js';
import { changesEmbed, historyEmbed, overviewEmbed, topEmbed } from '../src/discord/quotaFormat.js';
import { InputError } from '../src/errors.js';
import { QUOTA_SETTINGS, type QuotaSetting, type SettingsPatch } from '../src/quota/policy.js';
import { MAX_COOLDOWN_SECONDS, MAX_COUNT_LIMIT } from '../src/quota/quotaService.js';
import type { ListSetting } from '../src/quota/quotaTypes.js';
import type { CommandContext, SlashCommand } from './interaction.js';
import { guildIdOf, requireModerator } from './permissions.js';

/** The builder's ceiling; the operator's MAX_GUILD_BUDGET_USD is checked by the quota service. */
const BUDGET_OPTION_MAX_USD = 100_000;

const RESOLUTION_CHOICES: ReadonlyArray<{ name: string; value: string }> = [
  { name: 'all: 480p, 720p, 1080p', value: '480p,720p,1080p' },
  { name: '480p and 720p', value: '480p,720p' },
  { name: '720p and 1080p', value: '720p,1080p' },
  { name: '480p only', value: '480p' },
  { name: '720p only', value: '720p' },
  { name: '1080p only', value: '1080p' },
];

const LIST_ACTIONS = [
  { name: 'add', value: 'add' },
  { name: 'remove', value: 'remove' },
  { name: 'clear (no restriction)', value: 'clear' },
] as const;

/** `/quota unset setting:` choices → the settings they return to the operator's default. */
const UNSET_CHOICES: Record<string, readonly QuotaSetting[]> = {
  budget: ['budgetCents', 'budgetPeriod'],
  clips_per_day: ['memberClipsPerDay'],
  cooldown_seconds: ['memberCooldownSeconds'],
  concurrent: ['memberConcurrentJobs'],
  server_concurrent: ['guildConcurrentJobs'],
  resolutions: ['allowedResolutions'],
  max_duration: ['maxDurationSeconds'],
  audio: ['audioAllowed'],
  channels: ['allowedChannelIds'],
  roles: ['allowedRoleIds'],
  exempt: ['exemptRoleIds'],
  modlog: ['modLogChannelId'],
  all: QUOTA_SETTINGS,
};

const data = new SlashCommandBuilder()
  .setName('quota')
  .setDescription("See and set this server's /animate budget and rules")
  .setDMPermission(false)
  // The first lock only: it hides the command, and server admins can change it. Handlers check again.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((s) => s.setName('show').setDescription("This server's rules and this period's spending"))
  .addSubcommand((s) =>
    s
      .setName('budget')
      .setDescription('Set how much /animate may spend per period')
      .addNumberOption((o) =>
        o.setName('amount').setDescription('US dollars per period; 0 = spend nothing').setRequired(true).setMinValue(0).setMaxValue(BUDGET_OPTION_MAX_USD),
      )
      .addStringOption((o) =>
        o
          .setName('period')
          .setDescription('When the budget starts again (UTC); default: unchanged')
          .addChoices({ name: 'day', value: 'day' }, { name: 'week (from Monday)', value: 'week' }, { name: 'month', value: 'month' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('members')
      .setDescription('Limits for each member (0 = no limit)')
      .addIntegerOption((o) => o.setName('clips_per_day').setDescription('Videos per member per UTC day').setMinValue(0).setMaxValue(MAX_COUNT_LIMIT))
      .addIntegerOption((o) =>
        o.setName('cooldown_seconds').setDescription("Seconds between a member's videos").setMinValue(0).setMaxValue(MAX_COOLDOWN_SECONDS),
      )
      .addIntegerOption((o) => o.setName('concurrent').setDescription('Videos being made at once per member').setMinValue(0).setMaxValue(MAX_COUNT_LIMIT)),
  )
  .addSubcommand((s) =>
    s
      .setName('limits')
      .setDescription('What members may ask for, and how many videos the server makes at once')
      .addStringOption((o) => o.setName('resolutions').setDescription('Allowed resolutions').addChoices(...RESOLUTION_CHOICES))
      .addIntegerOption((o) =>
        o.setName('max_duration').setDescription('Longest video in seconds').addChoices({ name: '5 seconds', value: 5 }, { name: '10 seconds', value: 10 }),
      )
      .addBooleanOption((o) => o.setName('audio').setDescription('Allow audio attachments'))
      .addIntegerOption((o) =>
        o.setName('server_concurrent').setDescription('Videos being made at once on the server (0 = no limit)').setMinValue(0).setMaxValue(MAX_COUNT_LIMIT),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('channels')
      .setDescription('Channels where /animate works (none listed = every channel)')
      .addStringOption((o) => o.setName('action').setDescription('What to do').setRequired(true).addChoices(...LIST_ACTIONS))
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('The channel (threads in it are included)')
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum, ChannelType.GuildVoice),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('roles')
      .setDescription('Roles that may use /animate (none listed = everyone)')
      .addStringOption((o) => o.setName('action').setDescription('What to do').setRequired(true).addChoices(...LIST_ACTIONS))
      .addRoleOption((o) => o.setName('role').setDescription('The role')),
  )
  .addSubcommand((s) =>
    s
      .setName('exempt')
      .setDescription('Roles exempt from member limits (the server budget still applies)')
      .addStringOption((o) => o.setName('action').setDescription('What to do').setRequired(true).addChoices(...LIST_ACTIONS))
      .addRoleOption((o) => o.setName('role').setDescription('The role')),
  )
  .addSubcommand((s) =>
    s
      .setName('modlog')
      .setDescription('Where budget alerts (80 % and 100 %) go; leave out the channel to stop them')
      .addChannelOption((o) => o.setName('channel').setDescription('The mod-log channel').addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement)),
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
          .addChoices(...Object.keys(UNSET_CHOICES).map((name) => ({ name, value: name }))),
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

/** Dollars from Discord → integer cents; the range is checked again by the quota service. */
export function dollarsToCents(usd: number): number {
  if (!Number.isFinite(usd) || usd < 0) throw new InputError('The amount must be 0 or more US dollars.');
  if (usd > BUDGET_OPTION_MAX_USD) throw new InputError(`The amount can be at most $${BUDGET_OPTION_MAX_USD}.`);
  // A typo like 0.004 must not silently become a $0 budget (which stops /animate).
  if (usd > 0 && usd < 0.01) throw new InputError('The amount must be at least $0.01, or 0 to stop spending.');
  return Math.round(usd * 100);
}

function membersPatch(interaction: ChatInputCommandInteraction): SettingsPatch {
  const patch: SettingsPatch = {};
  const clips = interaction.options.getInteger('clips_per_day');
  const cooldown = interaction.options.getInteger('cooldown_seconds');
  const concurrent = interaction.options.getInteger('concurrent');
  if (clips !== null) patch.memberClipsPerDay = clips;
  if (cooldown !== null) patch.memberCooldownSeconds = cooldown;
  if (concurrent !== null) patch.memberConcurrentJobs = concurrent;
  if (Object.keys(patch).length === 0) throw new InputError('Give at least one of clips_per_day, cooldown_seconds or concurrent (0 = no limit).');
  return patch;
}

function limitsPatch(interaction: ChatInputCommandInteraction): SettingsPatch {
  const patch: SettingsPatch = {};
  const resolutions = interaction.options.getString('resolutions');
  const maxDuration = interaction.options.getInteger('max_duration');
  const audio = interaction.options.getBoolean('audio');
  const serverConcurrent = interaction.options.getInteger('server_concurrent');
  if (resolutions !== null) {
    const list = resolutions.split(',').filter((r): r is Resolution => r === '480p' || r === '720p' || r === '1080p');
    if (list.length === 0) throw new InputError('Choose which resolutions to allow.');
    patch.allowedResolutions = list;
  }
  if (maxDuration !== null) {
    if (maxDuration !== 5 && maxDuration !== 10) throw new InputError('The longest video can be 5 or 10 seconds.');
    patch.maxDurationSeconds = maxDuration;
  }
  if (audio !== null) patch.audioAllowed = audio;
  if (serverConcurrent !== null) patch.guildConcurrentJobs = serverConcurrent;
  if (Object.keys(patch).length === 0) throw new InputError('Give at least one of resolutions, max_duration, audio or server_concurrent.');
  return patch;
}

async function updated(context: CommandContext, guildId: string, changes: Awaited<ReturnType<CommandContext['quota']['updateSettings']>>): Promise<EmbedBuilder> {
  return changesEmbed(changes, await context.quota.overview(guildId));
}

async function run(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<EmbedBuilder> {
  const { quota, config } = context;
  const guildId = guildIdOf(interaction);
  const actorId = interaction.user.id;
  const subcommand = interaction.options.getSubcommand(true);
  if (subcommand === 'show') return overviewEmbed(await quota.overview(guildId));

  requireModerator(interaction, config, subcommand === 'history' || subcommand === 'top' ? 'see that' : 'change quotas');
  switch (subcommand) {
    case 'budget': {
      const patch: SettingsPatch = { budgetCents: dollarsToCents(interaction.options.getNumber('amount', true)) };
      const period = interaction.options.getString('period');
      if (period !== null) patch.budgetPeriod = period as BudgetPeriod;
      return updated(context, guildId, await quota.updateSettings(guildId, actorId, patch));
    }
    case 'members':
      return updated(context, guildId, await quota.updateSettings(guildId, actorId, membersPatch(interaction)));
    case 'limits':
      return updated(context, guildId, await quota.updateSettings(guildId, actorId, limitsPatch(interaction)));
    case 'channels':
    case 'roles':
    case 'exempt': {
      const list: ListSetting = subcommand === 'channels' ? 'allowedChannelIds' : subcommand === 'roles' ? 'allowedRoleIds' : 'exemptRoleIds';
      const id = idOption(interaction, subcommand === 'channels' ? 'channel' : 'role');
      return updated(context, guildId, await quota.editList(guildId, actorId, list, listAction(interaction), id));
    }
    case 'modlog':
      return updated(context, guildId, await quota.updateSettings(guildId, actorId, { modLogChannelId: idOption(interaction, 'channel') ?? null }));
    case 'unset': {
      const settings = UNSET_CHOICES[interaction.options.getString('setting', true)];
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
      throw new InputError('This subcommand is not available any more.');
  }
}

export const quota = {
  kind: 'slash',
  data,
  async execute(interaction, context) {
    const embed = await run(interaction, context);
    await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  },
} satisfies SlashCommand;
