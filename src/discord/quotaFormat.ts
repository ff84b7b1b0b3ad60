import { EmbedBuilder } from 'discord.js';
import type { BudgetAlert } from '../quota/alerts.js';
import { DEFAULT_LOCALE, localeOf, type Locale } from '../i18n/locale.js';
import { messagesFor, periodText, translate } from '../i18n/text.js';
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

export function usageEmbed(usage: MemberUsage, self: boolean, clipCents: number, locale: Locale = DEFAULT_LOCALE): EmbedBuilder {
  const t = messagesFor(locale);
  const { rules, period } = usage;
  const periodName = translate(locale, periodText(period.label));
  const count = usage.clipsToday;
  const today = usage.exempt
    ? t['usage.todayExempt']({ count })
    : usage.clipsLeftToday === null
      ? t['usage.todayUnlimited']({ count })
      : t['usage.todayLimited']({ count, limit: rules.memberClipsPerDay, left: usage.clipsLeftToday, when: discordTime(usage.day.endMs) });
  const next = usage.nextClipAt === null ? t['usage.nextNow'] : t['usage.nextCooldown']({ when: discordTime(usage.nextClipAt) });
  const atOnce =
    usage.exempt || rules.memberConcurrentJobs === 0 ? `${usage.openJobs}` : t['usage.ofLimit']({ count: usage.openJobs, limit: rules.memberConcurrentJobs });
  const budget =
    rules.budgetCents === 0
      ? t['usage.budgetZero']
      : t['usage.budget']({
          left: formatUsd(usage.guildLeftCents),
          budget: formatUsd(rules.budgetCents),
          period: periodName,
          clips: t['clips.count']({ count: clipCents > 0 ? Math.floor(usage.guildLeftCents / clipCents) : 0 }),
          when: discordTime(period.endMs),
        });
  const spent = { amount: formatUsd(usage.spentCents), period: periodName, since: usage.resetAt !== null && usage.resetAt >= period.startMs ? t['usage.sinceReset'] : '' };
  return new EmbedBuilder()
    .setColor(COLOR_INFO)
    .setTitle(self ? t['usage.titleSelf'] : t['usage.titleOther'])
    .setDescription(self ? t['usage.spentSelf'](spent) : t['usage.spentOther']({ who: `<@${usage.userId}>`, ...spent }))
    .addFields(
      { name: t['usage.fieldToday'], value: today },
      { name: t['usage.fieldNext'], value: next, inline: true },
      { name: t['usage.fieldOpen'], value: atOnce, inline: true },
      { name: t['usage.fieldBudget'], value: budget },
    );
}

/** A budget alert for the mod-log, in the server's language (the alert's locale). */
export function renderBudgetAlert(alert: BudgetAlert): string {
  const locale = localeOf(alert.locale);
  const t = messagesFor(locale);
  const { period } = alert;
  const periodName = translate(locale, periodText(period.label));
  const spent = t['alert.spent']({ spent: formatUsd(alert.spentCents), budget: formatUsd(alert.budgetCents) });
  if (alert.thresholdPercent === 80) {
    const percent = Math.floor((alert.spentCents * 100) / alert.budgetCents);
    return t['alert.nearlyUsed']({ percent, period: periodName, spent, when: discordTime(period.endMs) });
  }
  return t['alert.usedUp']({ period: periodName, spent, when: discordTime(period.endMs), date: discordTime(period.endMs, 'f') });
}

function clips(n: number): string {
  return `${n} ${n === 1 ? 'clip' : 'clips'}`;
}

function colorFor(spentCents: number, budgetCents: number): number {
  if (budgetCents === 0 || spentCents >= budgetCents) return COLOR_STOP;
  return spentCents * 100 >= budgetCents * 80 ? COLOR_WARN : COLOR_OK;
}

