import { EmbedBuilder } from 'discord.js';
import type { BudgetAlert } from '../quota/alerts.js';
import { formatUsd } from '../quota/cost.js';
import type { QuotaSetting } from '../quota/policy.js';
import { shortList } from '../shortList.js';
import type { Spender } from '../quota/quotaStore.js';
import type { AuditEntry, MemberUsage, QuotaOverview, SettingChange } from '../quota/quotaTypes.js';

/**
 * What moderators and members read about quotas: embeds for `/quota` and
 * `/usage`, and the mod-log alerts. Channel, role and user ids are rendered as
 * mentions; replies carry `allowed_mentions: { parse: [] }`, so none pings.
 */

const COLOR_INFO = 0x5865f2;
const COLOR_OK = 0x57f287;
const COLOR_WARN = 0xfee75c;
const COLOR_STOP = 0xed4245;

/** `<t:UNIX:R>` ("in 3 days") and `<t:UNIX:f>` (date and time), in each reader's own zone. */
export function discordTime(ms: number, style: 'R' | 'f' | 'd' = 'R'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

const SETTING_NAMES: Record<QuotaSetting, string> = {
  budgetCents: 'budget',
  budgetPeriod: 'budget period',
  memberClipsPerDay: 'clips per member per day',
  memberCooldownSeconds: 'cooldown between a member’s videos',
  memberConcurrentJobs: 'videos at once per member',
  guildConcurrentJobs: 'videos at once on the server',
  allowedResolutions: 'resolutions',
  maxDurationSeconds: 'longest video',
  audioAllowed: 'audio attachments',
  allowedChannelIds: 'channels',
  allowedRoleIds: 'roles that may use /animate',
  exemptRoleIds: 'roles exempt from member limits',
  modLogChannelId: 'mod-log channel',
};

const LIST_SETTINGS = new Set<string>(['allowedChannelIds', 'allowedRoleIds', 'exemptRoleIds']);

export function settingName(setting: string): string {
  return SETTING_NAMES[setting as QuotaSetting] ?? setting;
}

/** One setting's value as a moderator reads it; null = the operator's default. */
export function formatSetting(setting: string, value: unknown): string {
  if (value === null || value === undefined) {
    // Lists and the mod-log have no operator default: unset means "no restriction" / "off".
    if (setting === 'modLogChannelId') return 'off';
    if (!LIST_SETTINGS.has(setting)) return 'default';
  }
  switch (setting as QuotaSetting) {
    case 'budgetCents':
      return formatUsd(Number(value));
    case 'memberClipsPerDay':
    case 'memberConcurrentJobs':
    case 'guildConcurrentJobs':
      return Number(value) === 0 ? 'no limit' : String(value);
    case 'memberCooldownSeconds':
      return Number(value) === 0 ? 'none' : formatSeconds(Number(value));
    case 'maxDurationSeconds':
      return `${String(value)} s`;
    case 'audioAllowed':
      return value ? 'allowed' : 'not allowed';
    case 'allowedResolutions':
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'allowedChannelIds':
      return mentionList(value, '#', 'every channel');
    case 'allowedRoleIds':
      return mentionList(value, '@&', 'everyone');
    case 'exemptRoleIds':
      return mentionList(value, '@&', 'nobody');
    case 'modLogChannelId':
      return `<#${String(value)}>`;
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

export function overviewEmbed(overview: QuotaOverview): EmbedBuilder {
  const { rules, settings, period } = overview;
  const mark = (setting: QuotaSetting) => (settings[setting] === null && setting in overview.defaults ? ' *(default)*' : '');
  const show = (setting: QuotaSetting) => `${formatSetting(setting, rules[setting])}${mark(setting)}`;
  const budgetLine =
    rules.budgetCents === 0
      ? `**Budget:** $0${mark('budgetCents')} — /animate spends nothing on this server.`
      : `**Budget:** ${formatUsd(overview.spentCents)} of ${formatUsd(rules.budgetCents)} used ${period.label} — ` +
        `**${formatUsd(overview.leftCents)} left** (≈ ${clips(overview.clipsLeft)} at the default settings, ${formatUsd(overview.defaultClipCents)} each)`;
  return new EmbedBuilder()
    .setColor(colorFor(overview.spentCents, rules.budgetCents))
    .setTitle('/animate quotas on this server')
    .setDescription(
      [
        budgetLine,
        `Period: per ${rules.budgetPeriod}${mark('budgetPeriod')} (UTC) · resets ${discordTime(period.endMs)} (${discordTime(period.endMs, 'f')})`,
      ].join('\n'),
    )
    .addFields(
      {
        name: 'Member limits',
        value: [
          `Clips per day: ${show('memberClipsPerDay')}`,
          `Cooldown: ${show('memberCooldownSeconds')}`,
          `At once: ${show('memberConcurrentJobs')}`,
          `Exempt roles: ${show('exemptRoleIds')}`,
        ].join('\n'),
        inline: true,
      },
      {
        name: 'Allowed',
        value: [
          `Resolutions: ${show('allowedResolutions')}`,
          `Longest video: ${show('maxDurationSeconds')}`,
          `Audio: ${show('audioAllowed')}`,
          `Server at once: ${show('guildConcurrentJobs')} (${overview.openJobs} now)`,
        ].join('\n'),
        inline: true,
      },
      {
        name: 'Where and who',
        value: [`Channels: ${show('allowedChannelIds')}`, `Roles: ${show('allowedRoleIds')}`, `Mod-log: ${rules.modLogChannelId ? `<#${rules.modLogChannelId}>` : 'not set'}`].join('\n'),
      },
    )
    .setFooter({ text: '(default) = the bot operator’s default. Moderators change these with /quota.' });
}

export function changesEmbed(changes: readonly SettingChange[], overview: QuotaOverview): EmbedBuilder {
  const lines =
    changes.length === 0
      ? ['Nothing changed: those were already the settings.']
      : changes.map((c) => `**${settingName(c.setting)}**: ${formatSetting(c.setting, c.oldValue)} → ${formatSetting(c.setting, c.newValue)}`);
  const { rules, period } = overview;
  lines.push(
    '',
    rules.budgetCents === 0
      ? 'Budget is $0: /animate spends nothing on this server.'
      : `Now: ${formatUsd(overview.spentCents)} of ${formatUsd(rules.budgetCents)} used ${period.label}, ${formatUsd(overview.leftCents)} left (≈ ${clips(overview.clipsLeft)}).`,
  );
  return new EmbedBuilder()
    .setColor(changes.length === 0 ? COLOR_INFO : COLOR_OK)
    .setTitle(changes.length === 0 ? 'Quota unchanged' : 'Quota updated')
    .setDescription(lines.join('\n'));
}

export function historyEmbed(entries: readonly AuditEntry[]): EmbedBuilder {
  const lines = entries.map((entry) => {
    const when = discordTime(entry.at, 'f');
    if (entry.setting === 'memberReset') return `${when} <@${entry.actorId}> reset <@${String(entry.newValue)}>’s use`;
    return `${when} <@${entry.actorId}> **${settingName(entry.setting)}**: ${formatSetting(entry.setting, entry.oldValue)} → ${formatSetting(entry.setting, entry.newValue)}`;
  });
  return new EmbedBuilder()
    .setColor(COLOR_INFO)
    .setTitle('Quota history')
    .setDescription(lines.length > 0 ? lines.join('\n').slice(0, 4000) : 'No quota changes yet: this server uses the operator’s defaults.');
}

export function topEmbed(period: QuotaOverview['period'], spenders: readonly Spender[]): EmbedBuilder {
  const lines = spenders.map(
    (s, i) => `${i + 1}. <@${s.userId}> — ${formatUsd(s.spentCents)} (${clips(s.clips)})`,
  );
  return new EmbedBuilder()
    .setColor(COLOR_INFO)
    .setTitle(`Biggest spenders ${period.label}`)
    .setDescription(lines.length > 0 ? lines.join('\n') : `Nobody has spent anything ${period.label} yet.`)
    .setFooter({ text: `Period resets ${new Date(period.endMs).toISOString().replace('.000Z', ' UTC').replace('T', ' ')}` });
}

export function usageEmbed(usage: MemberUsage, self: boolean, clipCents: number): EmbedBuilder {
  const { rules, period } = usage;
  const who = self ? 'You' : `<@${usage.userId}>`;
  const today = usage.exempt
    ? `${usage.clipsToday} · no member limits (exempt role)`
    : usage.clipsLeftToday === null
      ? `${usage.clipsToday} · no daily limit`
      : `${usage.clipsToday} of ${rules.memberClipsPerDay} · **${usage.clipsLeftToday} left** (more ${discordTime(usage.day.endMs)})`;
  const next = usage.nextClipAt === null ? 'now' : `${discordTime(usage.nextClipAt)} (cooldown)`;
  const atOnce = usage.exempt || rules.memberConcurrentJobs === 0 ? `${usage.openJobs}` : `${usage.openJobs} of ${rules.memberConcurrentJobs}`;
  const budget =
    rules.budgetCents === 0
      ? 'Budget is $0: nothing can be made here.'
      : `${formatUsd(usage.guildLeftCents)} left of ${formatUsd(rules.budgetCents)} ${period.label} (≈ ${clips(clipCents > 0 ? Math.floor(usage.guildLeftCents / clipCents) : 0)}) · resets ${discordTime(period.endMs)}`;
  return new EmbedBuilder()
    .setColor(COLOR_INFO)
    .setTitle(self ? 'Your /animate use' : '/animate use')
    .setDescription(`${who} spent **${formatUsd(usage.spentCents)}** ${period.label}${usage.resetAt !== null && usage.resetAt >= period.startMs ? ' (since a moderator reset)' : ''}.`)
    .addFields(
      { name: 'Clips today (UTC)', value: today },
      { name: 'Next video', value: next, inline: true },
      { name: 'Being made', value: atOnce, inline: true },
      { name: 'Server budget', value: budget },
    );
}

export function renderBudgetAlert(alert: BudgetAlert): string {
  const { period } = alert;
  const spent = `${formatUsd(alert.spentCents)} of ${formatUsd(alert.budgetCents)}`;
  if (alert.thresholdPercent === 80) {
    const percent = Math.floor((alert.spentCents * 100) / alert.budgetCents);
    return `⚠️ /animate has used ${percent} % of this server’s budget for ${period.label}: ${spent}. It resets ${discordTime(period.endMs)}.`;
  }
  return (
    `🛑 /animate has used up this server’s budget for ${period.label}: ${spent} spent. ` +
    `New videos are refused until it resets ${discordTime(period.endMs)} (${discordTime(period.endMs, 'f')}); moderators can raise it with /quota budget.`
  );
}

function clips(n: number): string {
  return `${n} ${n === 1 ? 'clip' : 'clips'}`;
}

function mentionList(value: unknown, prefix: '#' | '@&', empty: string): string {
  if (!Array.isArray(value) || value.length === 0) return empty;
  return shortList(value.map((id) => `<${prefix}${String(id)}>`));
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function colorFor(spentCents: number, budgetCents: number): number {
  if (budgetCents === 0 || spentCents >= budgetCents) return COLOR_STOP;
  return spentCents * 100 >= budgetCents * 80 ? COLOR_WARN : COLOR_OK;
}

