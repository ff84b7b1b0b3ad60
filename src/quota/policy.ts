import type { GuildSettingsRow } from '../store/schema.js';
import { QuotaError } from '../errors.js';
import { localized } from '../i18n/text.js';
import { relativeTime } from './wording.js';
import type { OperatorCaps, QuotaRequest, SettingsColumn, UsageContext } from './ruleKit.js';
import {
  LIMIT_CHECK_ORDER,
  QUOTA_SETTINGS,
  REQUEST_CHECK_ORDER,
  declarationOf,
  type GuildSettings,
  type QuotaDefaults,
  type QuotaRules,
  type QuotaSetting,
  type SettingsPatch,
} from './rules.js';

/**
 * The rules that apply to one server, worked out from the declarations in
 * rules.ts: its own settings over the defaults, their columns, and the checks
 * a reservation runs. Pure: the checks get the usage numbers read by the
 * reservation's transaction and either pass or throw a QuotaError naming the
 * rule, written for the member, with when to try again.
 */

export function emptySettings(): GuildSettings {
  return Object.fromEntries(QUOTA_SETTINGS.map((setting) => [setting, null])) as GuildSettings;
}

export function effectiveRules(settings: GuildSettings, defaults: QuotaDefaults, maxBudgetCents = Number.POSITIVE_INFINITY): QuotaRules {
  const caps: OperatorCaps = { maxGuildBudgetCents: maxBudgetCents };
  const rules = QUOTA_SETTINGS.map((setting) => {
    const declaration = declarationOf(setting);
    const fallback = declaration.default.from === 'env' ? defaults[setting as keyof QuotaDefaults] : declaration.default.value;
    const value = settings[setting] ?? fallback;
    return [setting, declaration.effective ? declaration.effective(value, caps) : value];
  });
  return Object.fromEntries(rules) as QuotaRules;
}

// --- Row ⇄ settings -------------------------------------------------------------

type SettingsColumns = Pick<GuildSettingsRow, SettingsColumn>;

export function settingsFromRow(row: GuildSettingsRow | undefined): GuildSettings {
  if (!row) return emptySettings();
  const settings = QUOTA_SETTINGS.map((setting) => {
    const { column } = declarationOf(setting);
    const stored = row[column.name];
    return [setting, stored === null ? null : column.fromColumn(stored)];
  });
  return Object.fromEntries(settings) as GuildSettings;
}

export function columnsFromSettings(settings: GuildSettings): SettingsColumns {
  const columns = QUOTA_SETTINGS.map((setting) => {
    const { column } = declarationOf(setting);
    const value = settings[setting];
    return [column.name, value === null || value === undefined ? null : column.toColumn(value)];
  });
  return Object.fromEntries(columns) as SettingsColumns;
}

/** Puts each value in its one form (lists without duplicates, an empty list = no restriction). */
export function normalisePatch(patch: SettingsPatch): SettingsPatch {
  const normalised: Partial<Record<QuotaSetting, unknown>> = { ...patch };
  for (const setting of QUOTA_SETTINGS) {
    const value = patch[setting];
    const { normalise } = declarationOf(setting);
    if (value !== undefined && value !== null && normalise) normalised[setting] = normalise(value);
  }
  return normalised as SettingsPatch;
}

/** The operator's limits on what moderators may set; throws an InputError for the moderator. */
export function validatePatch(patch: SettingsPatch, caps: OperatorCaps): void {
  for (const setting of QUOTA_SETTINGS) {
    const value = patch[setting];
    if (value !== undefined && value !== null) declarationOf(setting).validate?.(value, caps);
  }
}

export function sameSetting(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// --- Checks ---------------------------------------------------------------------

export function isExempt(rules: QuotaRules, roleIds: readonly string[]): boolean {
  return rules.exemptRoleIds.some((role) => roleIds.includes(role));
}

/** Rules that need no usage numbers: where, who, and what may be asked for. */
export function checkRequest(rules: QuotaRules, request: QuotaRequest): void {
  for (const setting of REQUEST_CHECK_ORDER) declarationOf(setting).checkRequest?.(rules[setting], request);
}

export interface LimitContext extends UsageContext {
  rules: QuotaRules;
  exempt: boolean;
  globalDailyBudgetCents: number;
}

/** The limits, then the operator's cap on spending per day across every server. */
export function checkLimits(context: LimitContext): void {
  for (const setting of LIMIT_CHECK_ORDER) {
    const limit = declarationOf(setting).limit;
    if (limit && !(limit.member && context.exempt)) limit.check(context.rules[setting], context);
  }
  const { usage, costCents, day } = context;
  if (usage.globalSpentTodayCents + costCents > context.globalDailyBudgetCents) {
    throw new QuotaError(
      localized('quota.globalDaily', { when: relativeTime(day.endMs) }),
      'global_daily_budget',
      new Date(day.endMs),
    );
  }
}
