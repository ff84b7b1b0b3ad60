import { EmbedBuilder } from 'discord.js';
import type { BudgetAlert } from '../quota/alerts.js';
import { DEFAULT_LOCALE, localeOf, type Locale } from '../i18n/locale.js';
import type { Messages } from '../i18n/en.js';
import { localized, messagesFor, periodText, translate, type SentenceKey } from '../i18n/text.js';
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
export function settingName(setting: string, locale: Locale = DEFAULT_LOCALE): string {
  const label = declarationNamed(setting)?.show.label;
  return label ? messagesFor(locale)[label] : setting;
}

/** One setting's value as a moderator reads it (from its declaration); null = the default. */
export function formatSetting(setting: string, value: unknown, locale: Locale = DEFAULT_LOCALE): string {
  const declaration = declarationNamed(setting);
  if (!declaration) return typeof value === 'string' ? value : JSON.stringify(value);
  if (value === null || value === undefined) {
    // Lists and the mod-log have no operator default: unset shows what they are then ("every channel", "off").
    return translate(locale, declaration.default.from === 'env' ? localized('ruleValue.default') : declaration.show.format(declaration.default.value));
  }
  return translate(locale, declaration.show.format(value));
}

/** The fields of /quota show, in order; each rule names the field it is listed in. */
const OVERVIEW_FIELDS: ReadonlyArray<{ name: OverviewField; title: SentenceKey; inline: boolean }> = [
  { name: 'Member limits', title: 'ruleField.memberLimits', inline: true },
  { name: 'Allowed', title: 'ruleField.allowed', inline: true },
  { name: 'Where and who', title: 'ruleField.whereAndWho', inline: false },
];

/** What is going on now, next to a rule's line. */
const NOW_BESIDE: Partial<Record<QuotaSetting, (overview: QuotaOverview, t: Messages) => string>> = {
  guildConcurrentJobs: (overview, t) => t['quotaShow.openNow']({ count: overview.openJobs }),
};

export function overviewEmbed(overview: QuotaOverview, locale: Locale = DEFAULT_LOCALE): EmbedBuilder {
  const t = messagesFor(locale);
  const { rules, settings, period } = overview;
  const periodName = translate(locale, periodText(period.label));
  const mark = (setting: QuotaSetting) => (settings[setting] === null && isOperatorSetting(setting) ? t['quotaShow.defaultMark'] : '');
  const show = (setting: QuotaSetting) => `${formatSetting(setting, rules[setting], locale)}${mark(setting)}`;
  const budgetLine =
    rules.budgetCents === 0
      ? t['quotaShow.budgetZero']({ mark: mark('budgetCents') })
      : t['quotaShow.budget']({
          spent: formatUsd(overview.spentCents),
          budget: formatUsd(rules.budgetCents),
          period: periodName,
          left: formatUsd(overview.leftCents),
          clips: t['clips.count']({ count: overview.clipsLeft }),
          clip: formatUsd(overview.defaultClipCents),
        });
  const linesOf = (field: OverviewField) =>
    QUOTA_SETTINGS.flatMap((setting) => {
      const line = declarationOf(setting).show.overview;
      return line?.field === field ? [`${t[line.label]}: ${show(setting)}${NOW_BESIDE[setting]?.(overview, t) ?? ''}`] : [];
    });
  const periodLine = t['quotaShow.period']({
    period: formatSetting('budgetPeriod', rules.budgetPeriod, locale),
    mark: mark('budgetPeriod'),
    when: discordTime(period.endMs),
    date: discordTime(period.endMs, 'f'),
  });
  return new EmbedBuilder()
    .setColor(colorFor(overview.spentCents, rules.budgetCents))
    .setTitle(t['quotaShow.title'])
    .setDescription([budgetLine, periodLine].join('\n'))
    .addFields(OVERVIEW_FIELDS.map(({ name, title, inline }) => ({ name: t[title], value: linesOf(name).join('\n'), ...(inline ? { inline } : {}) })))
    .setFooter({ text: t['quotaShow.footer'] });
}

export function changesEmbed(changes: readonly SettingChange[], overview: QuotaOverview, locale: Locale = DEFAULT_LOCALE): EmbedBuilder {
  const t = messagesFor(locale);
  const lines =
    changes.length === 0
      ? [t['quotaChange.nothing']]
      : changes.map(
          (c) => `**${settingName(c.setting, locale)}**: ${formatSetting(c.setting, c.oldValue, locale)} → ${formatSetting(c.setting, c.newValue, locale)}`,
        );
  const { rules, period } = overview;
  lines.push(
    '',
    rules.budgetCents === 0
      ? t['quotaChange.budgetZero']
      : t['quotaChange.now']({
          spent: formatUsd(overview.spentCents),
          budget: formatUsd(rules.budgetCents),
          period: translate(locale, periodText(period.label)),
          left: formatUsd(overview.leftCents),
          clips: t['clips.count']({ count: overview.clipsLeft }),
        }),
  );
  return new EmbedBuilder()
    .setColor(changes.length === 0 ? COLOR_INFO : COLOR_OK)
    .setTitle(changes.length === 0 ? t['quotaChange.titleUnchanged'] : t['quotaChange.titleUpdated'])
    .setDescription(lines.join('\n'));
}

export function historyEmbed(entries: readonly AuditEntry[], locale: Locale = DEFAULT_LOCALE): EmbedBuilder {
  const t = messagesFor(locale);
  const lines = entries.map((entry) => {
    const when = discordTime(entry.at, 'f');
    if (entry.setting === 'memberReset') return t['quotaHistory.reset']({ when, actor: `<@${entry.actorId}>`, member: `<@${String(entry.newValue)}>` });
    return `${when} <@${entry.actorId}> **${settingName(entry.setting, locale)}**: ${formatSetting(entry.setting, entry.oldValue, locale)} → ${formatSetting(entry.setting, entry.newValue, locale)}`;
  });
  return new EmbedBuilder()
    .setColor(COLOR_INFO)
    .setTitle(t['quotaHistory.title'])
    .setDescription(lines.length > 0 ? lines.join('\n').slice(0, 4000) : t['quotaHistory.empty']);
}

export function topEmbed(period: QuotaOverview['period'], spenders: readonly Spender[], locale: Locale = DEFAULT_LOCALE): EmbedBuilder {
  const t = messagesFor(locale);
  const periodName = translate(locale, periodText(period.label));
  const lines = spenders.map((s, i) => `${i + 1}. <@${s.userId}> — ${formatUsd(s.spentCents)} (${t['clips.count']({ count: s.clips })})`);
  return new EmbedBuilder()
    .setColor(COLOR_INFO)
    .setTitle(t['quotaTop.title']({ period: periodName }))
    .setDescription(lines.length > 0 ? lines.join('\n') : t['quotaTop.empty']({ period: periodName }))
    .setFooter({ text: t['quotaTop.footer']({ date: new Date(period.endMs).toISOString().replace('.000Z', ' UTC').replace('T', ' ') }) });
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

function colorFor(spentCents: number, budgetCents: number): number {
  if (budgetCents === 0 || spentCents >= budgetCents) return COLOR_STOP;
  return spentCents * 100 >= budgetCents * 80 ? COLOR_WARN : COLOR_OK;
}

