import { EmbedBuilder } from 'discord.js';
import type { BudgetAlert } from '../quota/alerts.js';
import { formatUsd } from '../quota/money.js';
import type { Spender } from '../quota/quotaStore.js';
import type { AuditEntry, MemberUsage, QuotaOverview, SettingChange } from '../quota/quotaTypes.js';
import type { OverviewField } from '../quota/ruleKit.js';
import { QUOTA_SETTINGS, declarationNamed, declarationOf, isOperatorSetting, type QuotaSetting } from '../quota/rules.js';

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

/** A setting's name in change and audit lines; settings that no longer exist keep their stored name. */
export function settingName(setting: string): string {
  return declarationNamed(setting)?.show.label ?? setting;
}

/** One setting's value as a moderator reads it (from its declaration); null = the default. */
export function formatSetting(setting: string, value: unknown): string {
  const declaration = declarationNamed(setting);
  if (!declaration) return typeof value === 'string' ? value : JSON.stringify(value);
  if (value === null || value === undefined) {
    // Lists and the mod-log have no operator default: unset shows what they are then ("every channel", "off").
    return declaration.default.from === 'env' ? 'default' : declaration.show.format(declaration.default.value);
  }
  return declaration.show.format(value);
}

/** The fields of /quota show, in order; each rule names the field it is listed in. */
const OVERVIEW_FIELDS: ReadonlyArray<{ name: OverviewField; inline: boolean }> = [
  { name: 'Member limits', inline: true },
  { name: 'Allowed', inline: true },
  { name: 'Where and who', inline: false },
];

/** What is going on now, next to a rule's line. */
const NOW_BESIDE: Partial<Record<QuotaSetting, (overview: QuotaOverview) => string>> = {
  guildConcurrentJobs: (overview) => ` (${overview.openJobs} now)`,
};

export function overviewEmbed(overview: QuotaOverview): EmbedBuilder {
  const { rules, settings, period } = overview;
  const mark = (setting: QuotaSetting) => (settings[setting] === null && isOperatorSetting(setting) ? ' *(default)*' : '');
  const show = (setting: QuotaSetting) => `${formatSetting(setting, rules[setting])}${mark(setting)}`;
  const budgetLine =
    rules.budgetCents === 0
      ? `**Budget:** $0${mark('budgetCents')} — /animate spends nothing on this server.`
      : `**Budget:** ${formatUsd(overview.spentCents)} of ${formatUsd(rules.budgetCents)} used ${period.label} — ` +
        `**${formatUsd(overview.leftCents)} left** (≈ ${clips(overview.clipsLeft)} at the default settings, ${formatUsd(overview.defaultClipCents)} each)`;
  const linesOf = (field: OverviewField) =>
    QUOTA_SETTINGS.flatMap((setting) => {
      const line = declarationOf(setting).show.overview;
      return line?.field === field ? [`${line.label}: ${show(setting)}${NOW_BESIDE[setting]?.(overview) ?? ''}`] : [];
    });
  return new EmbedBuilder()
    .setColor(colorFor(overview.spentCents, rules.budgetCents))
    .setTitle('/animate quotas on this server')
    .setDescription(
      [
        budgetLine,
        `Period: per ${rules.budgetPeriod}${mark('budgetPeriod')} (UTC) · resets ${discordTime(period.endMs)} (${discordTime(period.endMs, 'f')})`,
      ].join('\n'),
    )
    .addFields(OVERVIEW_FIELDS.map(({ name, inline }) => ({ name, value: linesOf(name).join('\n'), ...(inline ? { inline } : {}) })))
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
    const via = entry.via === 'dashboard' ? ' *(via dashboard)*' : '';
    return `${when} <@${entry.actorId}> **${settingName(entry.setting)}**: ${formatSetting(entry.setting, entry.oldValue)} → ${formatSetting(entry.setting, entry.newValue)}${via}`;
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

function colorFor(spentCents: number, budgetCents: number): number {
  if (budgetCents === 0 || spentCents >= budgetCents) return COLOR_STOP;
  return spentCents * 100 >= budgetCents * 80 ? COLOR_WARN : COLOR_OK;
}

