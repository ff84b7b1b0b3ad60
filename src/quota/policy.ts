import type { BudgetPeriod, QuotaDefaults, Resolution } from '../config/config.js';
import { QuotaError } from '../errors.js';
import type { GuildSettingsRow } from '../store/schema.js';
import { shortList } from '../shortList.js';
import { formatUsd } from './cost.js';
import type { PeriodWindow } from './periods.js';

/**
 * The rules that apply to one server: its own settings over the operator's
 * defaults. Pure: the checks here get the usage numbers read by the
 * reservation's transaction and either pass or throw a QuotaError naming the
 * rule, written for the member, with when to try again.
 */
/** The operator's defaults (budget, member and server limits, allowed settings) plus what only a server sets. */
export interface QuotaRules extends QuotaDefaults {
  /** Empty = every channel. */
  allowedChannelIds: readonly string[];
  /** Empty = everyone. */
  allowedRoleIds: readonly string[];
  /** Members with one of these roles skip the member limits (not the server's budget). */
  exemptRoleIds: readonly string[];
  modLogChannelId: string | null;
}

export type QuotaSetting = keyof QuotaRules;

/** A server's own choices; null = the operator's default (or "none" for the lists and the mod-log). */
export type GuildSettings = { [K in QuotaSetting]: QuotaRules[K] | null };

/** A change to a server's settings: null returns a setting to the operator's default. */
export type SettingsPatch = Partial<GuildSettings>;

export const QUOTA_SETTINGS: readonly QuotaSetting[] = [
  'budgetCents',
  'budgetPeriod',
  'memberClipsPerDay',
  'memberCooldownSeconds',
  'memberConcurrentJobs',
  'guildConcurrentJobs',
  'allowedResolutions',
  'maxDurationSeconds',
  'audioAllowed',
  'allowedChannelIds',
  'allowedRoleIds',
  'exemptRoleIds',
  'modLogChannelId',
];

const RESOLUTION_ORDER: readonly Resolution[] = ['480p', '720p', '1080p'];

export function emptySettings(): GuildSettings {
  return Object.fromEntries(QUOTA_SETTINGS.map((key) => [key, null])) as GuildSettings;
}

export function effectiveRules(settings: GuildSettings, defaults: QuotaDefaults, maxBudgetCents = Number.POSITIVE_INFINITY): QuotaRules {
  return {
    // A budget set under a higher operator cap follows the cap down when it is lowered.
    budgetCents: Math.min(settings.budgetCents ?? defaults.budgetCents, maxBudgetCents),
    budgetPeriod: settings.budgetPeriod ?? defaults.budgetPeriod,
    memberClipsPerDay: settings.memberClipsPerDay ?? defaults.memberClipsPerDay,
    memberCooldownSeconds: settings.memberCooldownSeconds ?? defaults.memberCooldownSeconds,
    memberConcurrentJobs: settings.memberConcurrentJobs ?? defaults.memberConcurrentJobs,
    guildConcurrentJobs: settings.guildConcurrentJobs ?? defaults.guildConcurrentJobs,
    allowedResolutions: settings.allowedResolutions ?? defaults.allowedResolutions,
    maxDurationSeconds: settings.maxDurationSeconds ?? defaults.maxDurationSeconds,
    audioAllowed: settings.audioAllowed ?? defaults.audioAllowed,
    allowedChannelIds: settings.allowedChannelIds ?? [],
    allowedRoleIds: settings.allowedRoleIds ?? [],
    exemptRoleIds: settings.exemptRoleIds ?? [],
    modLogChannelId: settings.modLogChannelId ?? null,
  };
}

// --- Row ⇄ settings -------------------------------------------------------------

type SettingsColumns = Omit<GuildSettingsRow, 'guild_id' | 'created_at' | 'updated_at'>;

export function settingsFromRow(row: GuildSettingsRow | undefined): GuildSettings {
  if (!row) return emptySettings();
  return {
    budgetCents: row.budget_cents,
    budgetPeriod: isBudgetPeriod(row.budget_period) ? row.budget_period : null,
    memberClipsPerDay: row.member_clips_per_day,
    memberCooldownSeconds: row.member_cooldown_seconds,
    memberConcurrentJobs: row.member_concurrent_jobs,
    guildConcurrentJobs: row.guild_concurrent_jobs,
    allowedResolutions: row.allowed_resolutions === null ? null : sortResolutions(splitList(row.allowed_resolutions).filter(isResolution)),
    maxDurationSeconds: row.max_duration_seconds,
    audioAllowed: row.audio_allowed === null ? null : row.audio_allowed === 1,
    allowedChannelIds: listOrNull(row.allowed_channel_ids),
    allowedRoleIds: listOrNull(row.allowed_role_ids),
    exemptRoleIds: listOrNull(row.exempt_role_ids),
    modLogChannelId: row.mod_log_channel_id,
  };
}

export function columnsFromSettings(settings: GuildSettings): SettingsColumns {
  return {
    budget_cents: settings.budgetCents,
    budget_period: settings.budgetPeriod,
    member_clips_per_day: settings.memberClipsPerDay,
    member_cooldown_seconds: settings.memberCooldownSeconds,
    member_concurrent_jobs: settings.memberConcurrentJobs,
    guild_concurrent_jobs: settings.guildConcurrentJobs,
    allowed_resolutions: settings.allowedResolutions === null ? null : sortResolutions(settings.allowedResolutions).join(','),
    max_duration_seconds: settings.maxDurationSeconds,
    audio_allowed: settings.audioAllowed === null ? null : settings.audioAllowed ? 1 : 0,
    allowed_channel_ids: joinList(settings.allowedChannelIds),
    allowed_role_ids: joinList(settings.allowedRoleIds),
    exempt_role_ids: joinList(settings.exemptRoleIds),
    mod_log_channel_id: settings.modLogChannelId,
  };
}

/** Lists have no operator default: an empty list is stored as null ("every channel", "everyone"). */
export function normalisePatch(patch: SettingsPatch): SettingsPatch {
  const normalised: SettingsPatch = { ...patch };
  for (const key of ['allowedChannelIds', 'allowedRoleIds', 'exemptRoleIds'] as const) {
    const list = normalised[key];
    if (list !== undefined) normalised[key] = list === null || list.length === 0 ? null : [...new Set(list)];
  }
  if (normalised.allowedResolutions) normalised.allowedResolutions = sortResolutions(normalised.allowedResolutions);
  return normalised;
}

export function sameSetting(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function listOrNull(value: string | null): string[] | null {
  if (value === null) return null;
  const list = splitList(value);
  return list.length > 0 ? list : null;
}

function joinList(list: readonly string[] | null): string | null {
  return list === null || list.length === 0 ? null : list.join(',');
}

function sortResolutions(list: readonly Resolution[]): Resolution[] {
  return RESOLUTION_ORDER.filter((resolution) => list.includes(resolution));
}

function isResolution(value: string): value is Resolution {
  return (RESOLUTION_ORDER as readonly string[]).includes(value);
}

function isBudgetPeriod(value: string | null): value is BudgetPeriod {
  return value === 'day' || value === 'week' || value === 'month';
}

// --- Checks ---------------------------------------------------------------------

/** What the rules look at in a request, taken from the job row and the member. */
export interface QuotaRequest {
  channelId: string;
  /** The channel a thread belongs to: a thread of an allowed channel is allowed too. */
  parentChannelId: string | null;
  roleIds: readonly string[];
  resolution: string;
  durationSeconds: number;
  hasAudio: boolean;
  costCents: number;
}

/** Discord renders `<t:UNIX:R>` as "in 3 hours" in the reader's own language and zone. */
export function relativeTime(ms: number): string {
  return `<t:${Math.ceil(ms / 1000)}:R>`;
}

export function isExempt(rules: QuotaRules, roleIds: readonly string[]): boolean {
  return rules.exemptRoleIds.some((role) => roleIds.includes(role));
}

/** Rules that need no usage numbers: where, who, and what may be asked for. */
export function checkRequest(rules: QuotaRules, request: QuotaRequest): void {
  const { allowedChannelIds, allowedRoleIds } = rules;
  if (
    allowedChannelIds.length > 0 &&
    !allowedChannelIds.includes(request.channelId) &&
    !(request.parentChannelId !== null && allowedChannelIds.includes(request.parentChannelId))
  ) {
    const where = shortList(allowedChannelIds.map((id) => `<#${id}>`));
    throw new QuotaError(`/animate does not work in this channel. Try it in ${where}.`, 'channel');
  }
  if (allowedRoleIds.length > 0 && !allowedRoleIds.some((role) => request.roleIds.includes(role))) {
    const roles = shortList(allowedRoleIds.map((id) => `<@&${id}>`));
    throw new QuotaError(`On this server only members with one of these roles may use /animate: ${roles}.`, 'role');
  }
  if (!(rules.allowedResolutions as readonly string[]).includes(request.resolution)) {
    throw new QuotaError(
      `${request.resolution} is not allowed on this server. Choose ${orList(rules.allowedResolutions)}.`,
      'resolution',
    );
  }
  if (request.durationSeconds > rules.maxDurationSeconds) {
    throw new QuotaError(
      `Videos longer than ${rules.maxDurationSeconds} seconds are not allowed on this server. Choose ${rules.maxDurationSeconds} seconds or less.`,
      'duration',
    );
  }
  if (request.hasAudio && !rules.audioAllowed) {
    throw new QuotaError('Audio attachments are not allowed on this server. Try again without `audio`.', 'audio');
  }
  if (rules.budgetCents === 0) {
    throw new QuotaError("This server's moderators have set its /animate budget to $0, so no videos can be made here.", 'budget_disabled');
  }
}

/** The numbers a reservation decides on, read inside its transaction. */
export interface UsageSnapshot {
  /** Member figures are zero (and unused) for an exempt member. */
  memberClipsToday: number;
  /** When the member's last unrefunded job was reserved (since their last reset), or null. */
  memberLastReservedAt: number | null;
  memberOpenJobs: number;
  guildOpenJobs: number;
  guildSpentCents: number;
  globalSpentTodayCents: number;
}

export interface LimitContext {
  rules: QuotaRules;
  exempt: boolean;
  usage: UsageSnapshot;
  costCents: number;
  nowMs: number;
  period: PeriodWindow;
  day: PeriodWindow;
  globalDailyBudgetCents: number;
}

export function checkLimits(context: LimitContext): void {
  const { rules, usage, costCents, nowMs, period, day } = context;
  if (!context.exempt) {
    if (rules.memberConcurrentJobs > 0 && usage.memberOpenJobs >= rules.memberConcurrentJobs) {
      throw new QuotaError(
        `You already have ${plural(usage.memberOpenJobs, 'video')} being made, the most this server allows at once. Try again when one is done.`,
        'member_concurrent',
      );
    }
    if (rules.memberCooldownSeconds > 0 && usage.memberLastReservedAt !== null) {
      const readyAt = usage.memberLastReservedAt + rules.memberCooldownSeconds * 1000;
      if (readyAt > nowMs) {
        throw new QuotaError(
          `This server asks for ${rules.memberCooldownSeconds} seconds between videos. You can start the next one ${relativeTime(readyAt)}.`,
          'member_cooldown',
          new Date(readyAt),
        );
      }
    }
    if (rules.memberClipsPerDay > 0 && usage.memberClipsToday >= rules.memberClipsPerDay) {
      throw new QuotaError(
        `You have made your ${plural(rules.memberClipsPerDay, 'video')} for today on this server. You can make more ${relativeTime(day.endMs)}.`,
        'member_daily_clips',
        new Date(day.endMs),
      );
    }
  }
  if (rules.guildConcurrentJobs > 0 && usage.guildOpenJobs >= rules.guildConcurrentJobs) {
    throw new QuotaError(
      `This server already has ${plural(usage.guildOpenJobs, 'video')} being made, the most it allows at once. Try again in a few minutes.`,
      'guild_concurrent',
    );
  }
  if (usage.guildSpentCents + costCents > rules.budgetCents) {
    const left = Math.max(0, rules.budgetCents - usage.guildSpentCents);
    const detail = left > 0 ? ` Only ${formatUsd(left)} is left and this video costs ${formatUsd(costCents)}.` : '';
    throw new QuotaError(
      `This server has used its ${formatUsd(rules.budgetCents)} budget for ${period.label}.${detail} It resets ${relativeTime(period.endMs)}.`,
      'guild_budget',
      new Date(period.endMs),
    );
  }
  if (usage.globalSpentTodayCents + costCents > context.globalDailyBudgetCents) {
    throw new QuotaError(
      `The bot has reached its spending limit for today across all servers. It resets ${relativeTime(day.endMs)}.`,
      'global_daily_budget',
      new Date(day.endMs),
    );
  }
}

/** Which budget alerts (percent) a server's spending has reached. `exhausted`: a job was just refused for the budget. */
export function alertThresholds(spentCents: number, budgetCents: number, exhausted: boolean): Array<80 | 100> {
  if (budgetCents <= 0) return [];
  const reached: Array<80 | 100> = [];
  if (spentCents * 100 >= budgetCents * 80) reached.push(80);
  if (spentCents >= budgetCents || exhausted) reached.push(100);
  return reached;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
