import { z } from 'zod';
import { RESOLUTIONS, type Resolution } from '../config/videoChoices.js';
import { InputError, QuotaError } from '../errors.js';
import { localized, orList, periodText, shortList, type SentenceKey } from '../i18n/text.js';
import { formatUsd, parseUsdToCents, usdEnv } from './money.js';
import { BUDGET_PERIODS, type BudgetPeriod } from './periods.js';
import {
  booleanColumn,
  choiceColumn,
  countEnv,
  countOrNoLimit,
  distinctIds,
  durationEnv,
  fixed,
  fromEnv,
  idColumn,
  idListColumn,
  integerColumn,
  isResolution,
  mentions,
  resolutionListColumn,
  resolutionsEnv,
  rule,
  seconds,
  sortResolutions,
  yesNoEnv,
  type RuleDeclaration,
  type ValueOf,
} from './ruleKit.js';
import { relativeTime } from './wording.js';

/**
 * Every quota rule a server has, each declared once: its default (and the
 * operator's `.env` setting for it), its column, the /quota option that sets
 * it, how it is shown, the limits on what moderators may set, and how it
 * refuses a request. `/quota`, `/quota show`, `/quota unset`, the audit lines,
 * the config and the reservation's checks all read these.
 *
 * Adding a rule: a declaration here, a nullable column (schema.ts and a
 * migration), and, when it checks something no rule checked before, the
 * usage figure it needs (UsageSnapshot, read by the ledger). A rule with a
 * check also takes its place in REQUEST_CHECK_ORDER or LIMIT_CHECK_ORDER
 * (the compiler says so when it is missing).
 */

/** The most a per-member or per-server count limit may be set to. */
export const MAX_COUNT_LIMIT = 1_000;
export const MAX_COOLDOWN_SECONDS = 86_400;
/** The /quota budget option's ceiling; the operator's MAX_GUILD_BUDGET_USD is checked when the budget is saved. */
export const BUDGET_OPTION_MAX_USD = 100_000;
/** The largest dollar amount an operator may write in `.env`. */
const ENV_MAX_USD = 1_000_000;

/** How /quota names a budget period. */
const PERIOD_NAMES = { day: 'ruleValue.day', week: 'ruleValue.week', month: 'ruleValue.month' } as const satisfies Record<BudgetPeriod, SentenceKey>;

export const RULES = {
  budgetCents: rule<number>()({
    default: fromEnv('DEFAULT_GUILD_BUDGET_USD', 1_000, (cents) => usdEnv({ defaultCents: cents, maxUsd: ENV_MAX_USD })),
    column: integerColumn('budget_cents'),
    input: {
      subcommand: 'budget',
      name: 'amount',
      type: 'number',
      description: localized('command.quota.budget.amount.description'),
      required: true,
      min: 0,
      max: BUDGET_OPTION_MAX_USD,
      toValue: budgetCentsFromDollars,
    },
    unset: 'budget',
    show: { label: 'rule.budget', format: formatUsd },
    validate(cents, { maxGuildBudgetCents }) {
      if (!Number.isInteger(cents) || cents < 0) throw new InputError(localized('quotaInput.budgetNegative'));
      if (cents > maxGuildBudgetCents) {
        throw new InputError(localized('quotaInput.budgetCap', { max: formatUsd(maxGuildBudgetCents) }));
      }
    },
    // A budget set under a higher operator cap follows the cap down when it is lowered.
    effective: (cents, { maxGuildBudgetCents }) => Math.min(cents, maxGuildBudgetCents),
    checkRequest(cents) {
      if (cents === 0) {
        throw new QuotaError(localized('quota.budgetDisabled'), 'budget_disabled');
      }
    },
    limit: {
      member: false,
      check(budgetCents, { usage, costCents, period }) {
        if (usage.guildSpentCents + costCents <= budgetCents) return;
        const left = Math.max(0, budgetCents - usage.guildSpentCents);
        const detail = left > 0 ? localized('quota.budgetLeft', { left: formatUsd(left), cost: formatUsd(costCents) }) : '';
        throw new QuotaError(
          localized('quota.budgetUsed', { budget: formatUsd(budgetCents), period: periodText(period.label), detail, when: relativeTime(period.endMs) }),
          'guild_budget',
          new Date(period.endMs),
        );
      },
    },
  }),

  budgetPeriod: rule<BudgetPeriod>()({
    default: fromEnv<BudgetPeriod>('DEFAULT_GUILD_BUDGET_PERIOD', 'month', (period) => z.enum(BUDGET_PERIODS, 'must be day, week or month').default(period)),
    column: choiceColumn('budget_period', BUDGET_PERIODS),
    input: {
      subcommand: 'budget',
      name: 'period',
      type: 'string',
      description: localized('command.quota.budget.period.description'),
      choices: [
        { name: localized('command.quota.period.day.choice'), value: 'day' },
        { name: localized('command.quota.period.week.choice'), value: 'week' },
        { name: localized('command.quota.period.month.choice'), value: 'month' },
      ],
      toValue(period) {
        if (!(BUDGET_PERIODS as readonly string[]).includes(period)) throw new InputError(localized('quotaInput.period'));
        return period as BudgetPeriod;
      },
    },
    unset: 'budget',
    show: { label: 'rule.budgetPeriod', format: (period) => localized(PERIOD_NAMES[period]) },
  }),

  memberClipsPerDay: rule<number>()({
    default: fromEnv('DEFAULT_MEMBER_CLIPS_PER_DAY', 5, (clips) => countEnv(clips, 10_000)),
    column: integerColumn('member_clips_per_day'),
    input: {
      subcommand: 'members',
      name: 'clips_per_day',
      type: 'integer',
      description: localized('command.quota.members.clipsPerDay.description'),
      min: 0,
      max: MAX_COUNT_LIMIT,
      toValue: (clips) => clips,
    },
    unset: 'clips_per_day',
    show: { label: 'rule.clipsPerDay', format: countOrNoLimit, overview: { field: 'Member limits', label: 'ruleLine.clipsPerDay' } },
    validate: countWithinLimit,
    limit: {
      member: true,
      check(clipsPerDay, { usage, day }) {
        if (clipsPerDay > 0 && usage.memberClipsToday >= clipsPerDay) {
          throw new QuotaError(
            localized('quota.dailyClips', { count: clipsPerDay, when: relativeTime(day.endMs) }),
            'member_daily_clips',
            new Date(day.endMs),
          );
        }
      },
    },
  }),

  memberCooldownSeconds: rule<number>()({
    default: fromEnv('DEFAULT_MEMBER_COOLDOWN_SECONDS', 0, (cooldown) => countEnv(cooldown, 86_400)),
    column: integerColumn('member_cooldown_seconds'),
    input: {
      subcommand: 'members',
      name: 'cooldown_seconds',
      type: 'integer',
      description: localized('command.quota.members.cooldown.description'),
      min: 0,
      max: MAX_COOLDOWN_SECONDS,
      toValue: (cooldown) => cooldown,
    },
    unset: 'cooldown_seconds',
    show: { label: 'rule.cooldown', format: seconds, overview: { field: 'Member limits', label: 'ruleLine.cooldown' } },
    validate(cooldown) {
      if (!Number.isInteger(cooldown) || cooldown < 0 || cooldown > MAX_COOLDOWN_SECONDS) {
        throw new InputError(localized('quotaInput.cooldown', { max: MAX_COOLDOWN_SECONDS }));
      }
    },
    limit: {
      member: true,
      check(cooldownSeconds, { usage, nowMs }) {
        if (cooldownSeconds === 0 || usage.memberLastReservedAt === null) return;
        const readyAt = usage.memberLastReservedAt + cooldownSeconds * 1000;
        if (readyAt > nowMs) {
          throw new QuotaError(
            localized('quota.cooldown', { seconds: cooldownSeconds, when: relativeTime(readyAt) }),
            'member_cooldown',
            new Date(readyAt),
          );
        }
      },
    },
  }),

  memberConcurrentJobs: rule<number>()({
    default: fromEnv('DEFAULT_MEMBER_CONCURRENT_JOBS', 2, (jobs) => countEnv(jobs, 1_000)),
    column: integerColumn('member_concurrent_jobs'),
    input: {
      subcommand: 'members',
      name: 'concurrent',
      type: 'integer',
      description: localized('command.quota.members.concurrent.description'),
      min: 0,
      max: MAX_COUNT_LIMIT,
      toValue: (jobs) => jobs,
    },
    unset: 'concurrent',
    show: { label: 'rule.memberConcurrent', format: countOrNoLimit, overview: { field: 'Member limits', label: 'ruleLine.memberConcurrent' } },
    validate: countWithinLimit,
    limit: {
      member: true,
      check(concurrentJobs, { usage }) {
        if (concurrentJobs > 0 && usage.memberOpenJobs >= concurrentJobs) {
          throw new QuotaError(
            localized('quota.memberConcurrent', { count: usage.memberOpenJobs }),
            'member_concurrent',
          );
        }
      },
    },
  }),

  allowedResolutions: rule<readonly Resolution[]>()({
    default: fromEnv<readonly Resolution[]>('DEFAULT_ALLOWED_RESOLUTIONS', RESOLUTIONS, resolutionsEnv),
    column: resolutionListColumn('allowed_resolutions'),
    input: {
      subcommand: 'limits',
      name: 'resolutions',
      type: 'string',
      description: localized('command.quota.limits.resolutions.description'),
      choices: [
        { name: localized('command.quota.resolutions.all.choice'), value: '480p,720p,1080p' },
        { name: localized('command.quota.resolutions.upTo720p.choice'), value: '480p,720p' },
        { name: localized('command.quota.resolutions.from720p.choice'), value: '720p,1080p' },
        ...RESOLUTIONS.map((resolution) => ({ name: localized('command.quota.resolutions.only.choice', { resolution }), value: resolution })),
      ],
      toValue(choice) {
        const list = choice.split(',').filter(isResolution);
        if (list.length === 0) throw new InputError(localized('quotaInput.resolutionsChoose'));
        return list;
      },
    },
    unset: 'resolutions',
    show: {
      label: 'rule.resolutions',
      format: (list) => (Array.isArray(list) ? list.join(', ') : String(list)),
      overview: { field: 'Allowed', label: 'ruleLine.resolutions' },
    },
    validate(list) {
      if (list.length === 0) throw new InputError(localized('quotaInput.resolutionsEmpty'));
    },
    normalise: sortResolutions,
    checkRequest(allowed, request) {
      if (!(allowed as readonly string[]).includes(request.resolution)) {
        throw new QuotaError(localized('quota.resolution', { resolution: request.resolution, allowed: orList(allowed) }), 'resolution');
      }
    },
  }),

  maxDurationSeconds: rule<number>()({
    default: fromEnv('DEFAULT_MAX_DURATION_SECONDS', 10, durationEnv),
    column: integerColumn('max_duration_seconds'),
    input: {
      subcommand: 'limits',
      name: 'max_duration',
      type: 'integer',
      description: localized('command.quota.limits.maxDuration.description'),
      choices: [
        { name: localized('command.animate.duration.choice', { seconds: 5 }), value: 5 },
        { name: localized('command.animate.duration.choice', { seconds: 10 }), value: 10 },
      ],
      toValue(durationSeconds) {
        if (durationSeconds !== 5 && durationSeconds !== 10) throw new InputError(localized('quotaInput.maxDuration'));
        return durationSeconds;
      },
    },
    unset: 'max_duration',
    show: { label: 'rule.maxDuration', format: (durationSeconds) => `${String(durationSeconds)} s`, overview: { field: 'Allowed', label: 'ruleLine.maxDuration' } },
    checkRequest(maxSeconds, request) {
      if (request.durationSeconds > maxSeconds) {
        throw new QuotaError(localized('quota.duration', { max: maxSeconds }), 'duration');
      }
    },
  }),

  audioAllowed: rule<boolean>()({
    default: fromEnv('DEFAULT_AUDIO_ALLOWED', true, yesNoEnv),
    column: booleanColumn('audio_allowed'),
    input: { subcommand: 'limits', name: 'audio', type: 'boolean', description: localized('command.quota.limits.audio.description'), toValue: (allowed) => allowed },
    unset: 'audio',
    show: {
      label: 'rule.audio',
      format: (allowed) => localized(allowed ? 'ruleValue.allowed' : 'ruleValue.notAllowed'),
      overview: { field: 'Allowed', label: 'ruleLine.audio' },
    },
    checkRequest(allowed, request) {
      if (request.hasAudio && !allowed) {
        throw new QuotaError(localized('quota.audio'), 'audio');
      }
    },
  }),

  guildConcurrentJobs: rule<number>()({
    default: fromEnv('DEFAULT_GUILD_CONCURRENT_JOBS', 5, (jobs) => countEnv(jobs, 1_000)),
    column: integerColumn('guild_concurrent_jobs'),
    input: {
      subcommand: 'limits',
      name: 'server_concurrent',
      type: 'integer',
      description: localized('command.quota.limits.serverConcurrent.description'),
      min: 0,
      max: MAX_COUNT_LIMIT,
      toValue: (jobs) => jobs,
    },
    unset: 'server_concurrent',
    show: { label: 'rule.guildConcurrent', format: countOrNoLimit, overview: { field: 'Allowed', label: 'ruleLine.guildConcurrent' } },
    validate: countWithinLimit,
    limit: {
      member: false,
      check(concurrentJobs, { usage }) {
        if (concurrentJobs > 0 && usage.guildOpenJobs >= concurrentJobs) {
          throw new QuotaError(
            localized('quota.guildConcurrent', { count: usage.guildOpenJobs }),
            'guild_concurrent',
          );
        }
      },
    },
  }),

  /** Empty = every channel. */
  allowedChannelIds: rule<readonly string[]>()({
    default: fixed([]),
    column: idListColumn('allowed_channel_ids'),
    input: {
      type: 'list',
      subcommand: 'channels',
      item: {
        type: 'channel',
        name: 'channel',
        description: localized('command.quota.channels.channel.description'),
        channelKinds: ['text', 'announcement', 'forum', 'voice'],
      },
    },
    unset: 'channels',
    show: { label: 'rule.channels', format: mentions('#', 'ruleValue.everyChannel'), overview: { field: 'Where and who', label: 'ruleLine.channels' } },
    normalise: distinctIds,
    checkRequest(allowed, request) {
      if (allowed.length === 0 || allowed.includes(request.channelId)) return;
      if (request.parentChannelId !== null && allowed.includes(request.parentChannelId)) return;
      const where = shortList(allowed.map((id) => `<#${id}>`));
      throw new QuotaError(localized('quota.channel', { where }), 'channel');
    },
  }),

  /** Empty = everyone. */
  allowedRoleIds: rule<readonly string[]>()({
    default: fixed([]),
    column: idListColumn('allowed_role_ids'),
    input: { type: 'list', subcommand: 'roles', item: { type: 'role', name: 'role', description: localized('command.quota.role.description') } },
    unset: 'roles',
    show: { label: 'rule.roles', format: mentions('@&', 'ruleValue.everyone'), overview: { field: 'Where and who', label: 'ruleLine.roles' } },
    normalise: distinctIds,
    checkRequest(allowed, request) {
      if (allowed.length > 0 && !allowed.some((role) => request.roleIds.includes(role))) {
        const roles = shortList(allowed.map((id) => `<@&${id}>`));
        throw new QuotaError(localized('quota.role', { roles }), 'role');
      }
    },
  }),

  /** Members with one of these roles skip the member limits (not the server's budget): see isExempt. */
  exemptRoleIds: rule<readonly string[]>()({
    default: fixed([]),
    column: idListColumn('exempt_role_ids'),
    input: { type: 'list', subcommand: 'exempt', item: { type: 'role', name: 'role', description: localized('command.quota.role.description') } },
    unset: 'exempt',
    show: { label: 'rule.exemptRoles', format: mentions('@&', 'ruleValue.nobody'), overview: { field: 'Member limits', label: 'ruleLine.exemptRoles' } },
    normalise: distinctIds,
  }),

  /** Where budget alerts go; none = no alerts. */
  modLogChannelId: rule<string | null>()({
    default: fixed(null),
    column: idColumn('mod_log_channel_id'),
    input: {
      subcommand: 'modlog',
      name: 'channel',
      type: 'channel',
      description: localized('command.quota.modlog.channel.description'),
      channelKinds: ['text', 'announcement'],
      toValue: (id) => id,
    },
    unset: 'modlog',
    show: { label: 'rule.modLog', format: (id) => (id ? `<#${id}>` : localized('ruleValue.off')), overview: { field: 'Where and who', label: 'ruleLine.modLog' } },
  }),
};

// --- What the declarations make ---------------------------------------------------

type Declarations = typeof RULES;

export type QuotaSetting = keyof Declarations;

/** The rules that apply to one server: its own settings over the defaults. */
export type QuotaRules = { [K in QuotaSetting]: ValueOf<Declarations[K]> };

/** A server's own choices; null = the default. */
export type GuildSettings = { [K in QuotaSetting]: QuotaRules[K] | null };

/** A change to a server's settings: null returns a setting to the default. */
export type SettingsPatch = Partial<GuildSettings>;

/** The rules whose default the operator sets in `.env`. */
export type OperatorSetting = { [K in QuotaSetting]: Declarations[K]['default'] extends { from: 'env' } ? K : never }[QuotaSetting];

/** What a server gets until its moderators say otherwise. 0 means "no limit" except for the budget (0 = nothing may be spent). */
export type QuotaDefaults = { [K in OperatorSetting]: QuotaRules[K] };

/** The id lists moderators edit with add / remove / clear. */
export type ListSetting = { [K in QuotaSetting]: Declarations[K]['input'] extends { type: 'list' } ? K : never }[QuotaSetting];

/** In declaration order: the order of /quota's options, of /quota unset's choices and of one change's audit rows. */
export const QUOTA_SETTINGS = Object.keys(RULES) as QuotaSetting[];

/** Any rule's declaration, for code that handles every rule alike. */
export function declarationOf(setting: QuotaSetting): RuleDeclaration<unknown> {
  return RULES[setting] as RuleDeclaration<unknown>;
}

/** The declaration of a setting named in stored data (audit rows), if it still exists. */
export function declarationNamed(setting: string): RuleDeclaration<unknown> | undefined {
  return Object.hasOwn(RULES, setting) ? declarationOf(setting as QuotaSetting) : undefined;
}

export function isOperatorSetting(setting: QuotaSetting): setting is OperatorSetting {
  return declarationOf(setting).default.from === 'env';
}

export const OPERATOR_SETTINGS: readonly OperatorSetting[] = QUOTA_SETTINGS.filter(isOperatorSetting);

export function isListSetting(setting: QuotaSetting): setting is ListSetting {
  return declarationOf(setting).input.type === 'list';
}

const envDefaults = QUOTA_SETTINGS.flatMap((setting) => {
  const declared = declarationOf(setting).default;
  return declared.from === 'env' ? [{ setting, env: declared.env, parse: declared.parse }] : [];
});

/** The `.env` settings (DEFAULT_…) with their parsers: part of the config's schema. */
export const OPERATOR_DEFAULTS_ENV: Readonly<Record<string, z.ZodType>> = Object.fromEntries(envDefaults.map(({ env, parse }) => [env, parse]));

/** The operator defaults out of an environment parsed with OPERATOR_DEFAULTS_ENV. */
export function operatorDefaultsFrom(parsedEnv: Readonly<Record<string, unknown>>): QuotaDefaults {
  // Each value was parsed by its own rule's schema, whose output is the rule's type.
  return Object.fromEntries(envDefaults.map(({ setting, env }) => [setting, parsedEnv[env]])) as QuotaDefaults;
}

/** `/quota unset setting:` choices → the settings each returns to the default; `all` last. */
export const UNSET_CHOICES: ReadonlyMap<string, readonly QuotaSetting[]> = unsetChoices();

function unsetChoices(): Map<string, QuotaSetting[]> {
  const choices = new Map<string, QuotaSetting[]>();
  for (const setting of QUOTA_SETTINGS) {
    const choice = declarationOf(setting).unset;
    choices.set(choice, [...(choices.get(choice) ?? []), setting]);
  }
  return choices.set('all', [...QUOTA_SETTINGS]);
}

// --- The order of the checks -----------------------------------------------------------

type WithRequestCheck = { [K in QuotaSetting]: Declarations[K] extends { checkRequest: unknown } ? K : never }[QuotaSetting];
type WithLimit = { [K in QuotaSetting]: Declarations[K] extends { limit: unknown } ? K : never }[QuotaSetting];
type EveryCheckOrdered<Missing extends never> = Missing;

/**
 * The order decides which refusal a member reads when several rules block a
 * request: the request's own checks (where, who, what) first, then the
 * limits, member limits before the server's.
 */
export const REQUEST_CHECK_ORDER = [
  'allowedChannelIds',
  'allowedRoleIds',
  'allowedResolutions',
  'maxDurationSeconds',
  'audioAllowed',
  'budgetCents',
] as const satisfies readonly WithRequestCheck[];

export const LIMIT_CHECK_ORDER = [
  'memberConcurrentJobs',
  'memberCooldownSeconds',
  'memberClipsPerDay',
  'guildConcurrentJobs',
  'budgetCents',
] as const satisfies readonly WithLimit[];

// A compile error on these lines names a rule whose check is missing from the orders above.
type _RequestChecksOrdered = EveryCheckOrdered<Exclude<WithRequestCheck, (typeof REQUEST_CHECK_ORDER)[number]>>;
type _LimitsOrdered = EveryCheckOrdered<Exclude<WithLimit, (typeof LIMIT_CHECK_ORDER)[number]>>;

// --- Helpers of the declarations -------------------------------------------------------

/** `/quota budget amount:` in dollars → cents, refusing what cannot be meant. */
export function budgetCentsFromDollars(usd: number): number {
  const parsed = parseUsdToCents(usd, BUDGET_OPTION_MAX_USD);
  if (parsed.ok) return parsed.cents;
  switch (parsed.problem) {
    case 'not_an_amount':
    case 'negative':
      throw new InputError(localized('quotaInput.amountNegative'));
    case 'above_max':
      throw new InputError(localized('quotaInput.amountMax', { max: BUDGET_OPTION_MAX_USD }));
    case 'below_one_cent':
      throw new InputError(localized('quotaInput.amountCent'));
  }
}

function countWithinLimit(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT_LIMIT) {
    throw new InputError(localized('quotaInput.count', { max: MAX_COUNT_LIMIT }));
  }
}
