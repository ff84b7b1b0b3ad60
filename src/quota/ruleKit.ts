import { z } from 'zod';
import { DURATIONS, RESOLUTIONS, type Resolution } from '../config/videoChoices.js';
import { localized, shortList, type LocalizedText, type MemberText, type SentenceKey } from '../i18n/text.js';
import type { GuildSettingsRow } from '../store/schema.js';
import type { PeriodWindow } from './periods.js';

/**
 * What a quota rule declaration is made of (the declarations themselves are
 * in rules.ts), and the building blocks they share: column codecs, `.env`
 * parsers and formatters.
 */

// --- The shape of a declaration ---------------------------------------------------

export interface RuleDeclaration<V> {
  /** What a server has until its moderators choose. */
  readonly default: OperatorDefault<V> | FixedDefault<V>;
  /** Where a server's own choice is kept (a null column = the default). */
  readonly column: ColumnCodec<V>;
  /** How moderators set it with /quota. */
  readonly input: ModeratorInput<V>;
  /** The `/quota unset setting:` choice that returns it to the default (rules may share one). */
  readonly unset: string;
  readonly show: {
    /** Names it in change and audit lines: "**budget**: $5.00 → $7.50" (a catalogue key: said in the reader's language). */
    readonly label: SentenceKey;
    /** Its value as a moderator reads it. */
    format(value: V): MemberText;
    /** Its line in /quota show; without one the embed writes it by hand (the budget). */
    readonly overview?: { readonly field: OverviewField; readonly label: SentenceKey };
  };
  /** The limits on what moderators may set; throws an InputError written for the moderator. */
  validate?(value: V, operator: OperatorCaps): void;
  /** The one form a value is kept and compared in (sorted, no duplicates); null = back to the default. */
  normalise?(value: V): V | null;
  /** What applies once the operator's caps have their say. */
  effective?(value: V, operator: OperatorCaps): V;
  /** Refuses a request from the request alone (where, who, what), before any usage is read. */
  checkRequest?(value: V, request: QuotaRequest): void;
  /** Refuses a request from the usage read in the reservation's transaction. */
  readonly limit?: {
    /** Member limits: members with an exempt role skip them. */
    readonly member: boolean;
    check(value: V, context: UsageContext): void;
  };
}

/** The operator's `.env` setting (DEFAULT_…) gives the default; `value` is its default when unset. */
export interface OperatorDefault<V> {
  readonly from: 'env';
  readonly env: string;
  readonly value: V;
  readonly parse: z.ZodType<V>;
}

/** No operator setting: the lists default to "no restriction", the mod-log to none. */
export interface FixedDefault<V> {
  readonly from: 'fixed';
  readonly value: V;
}

export type SettingsColumn = Exclude<keyof GuildSettingsRow, 'guild_id' | 'created_at' | 'updated_at'>;

export interface ColumnCodec<V> {
  readonly name: SettingsColumn;
  /** A setting left to its default is a null column: only values are encoded. */
  toColumn(value: NonNullable<V>): string | number;
  /** null when the stored value means nothing any more (the default applies). */
  fromColumn(stored: string | number): V | null;
}

export type OverviewField = 'Member limits' | 'Allowed' | 'Where and who';

export type ChannelKind = 'text' | 'announcement' | 'forum' | 'voice';

/** Names and descriptions are catalogue texts: Discord shows each member its own language. */
export interface Choice<T> {
  readonly name: LocalizedText;
  readonly value: T;
}

interface OptionBase {
  /** The /quota subcommand it is an option of. */
  readonly subcommand: string;
  readonly name: string;
  readonly description: LocalizedText;
  readonly required?: boolean;
}

/** An option that sets the rule; left out, the rule stays as it is (a channel: set to none). */
export type ScalarInput<V> =
  | (OptionBase & { readonly type: 'integer'; readonly min?: number; readonly max?: number; readonly choices?: ReadonlyArray<Choice<number>>; toValue(raw: number): V })
  | (OptionBase & { readonly type: 'number'; readonly min?: number; readonly max?: number; toValue(raw: number): V })
  | (OptionBase & { readonly type: 'string'; readonly choices: ReadonlyArray<Choice<string>>; toValue(raw: string): V })
  | (OptionBase & { readonly type: 'boolean'; toValue(raw: boolean): V })
  | (OptionBase & { readonly type: 'channel'; readonly channelKinds: readonly ChannelKind[]; toValue(id: string): V });

/** A list of ids with a subcommand of its own: `action:add|remove|clear` and the item. */
export interface ListInput {
  readonly type: 'list';
  readonly subcommand: string;
  readonly item:
    | { readonly type: 'channel'; readonly name: string; readonly description: LocalizedText; readonly channelKinds: readonly ChannelKind[] }
    | { readonly type: 'role'; readonly name: string; readonly description: LocalizedText };
}

export type ModeratorInput<V> = ScalarInput<V> | ListInput;

// --- What the checks see ------------------------------------------------------------

/** What the rules look at in a request, taken from the job and the member. */
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

export interface UsageContext {
  usage: UsageSnapshot;
  costCents: number;
  nowMs: number;
  /** The server's budget period, and the UTC day (member limits count per day). */
  period: PeriodWindow;
  day: PeriodWindow;
}

/** The operator's caps on what moderators may set. */
export interface OperatorCaps {
  maxGuildBudgetCents: number;
}

// --- Declaring ----------------------------------------------------------------------

declare const valueType: unique symbol;

/** A declaration that remembers its value type, so QuotaRules can be read off the declarations. */
export type Declared<V, D> = D & { readonly [valueType]?: V };

export type ValueOf<D> = D extends { readonly [valueType]?: infer V } ? V : never;

/**
 * `rule<number>()({ … })`: checks the declaration against its value type and
 * keeps its exact shape (which default, which input), from which rules.ts
 * derives the operator defaults and the list settings.
 */
export function rule<V>() {
  return <const D extends RuleDeclaration<V>>(declaration: D): Declared<V, D> => declaration;
}

/** A default the operator sets in `.env`; `schemaFor` gets the value to use when the setting is unset. */
export function fromEnv<V>(env: string, value: V, schemaFor: (value: V) => z.ZodType<V>): OperatorDefault<V> {
  return { from: 'env', env, value, parse: schemaFor(value) };
}

export function fixed<V>(value: V): FixedDefault<V> {
  return { from: 'fixed', value };
}

// --- .env parsers (messages name the rule after the setting's name) -----------------

export function countEnv(fallback: number, max: number): z.ZodType<number> {
  return z.coerce
    .number('must be a whole number')
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(max, `must be at most ${max}`)
    .default(fallback);
}

export function resolutionsEnv(fallback: readonly Resolution[]): z.ZodType<readonly Resolution[]> {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    )
    .pipe(z.array(z.enum(RESOLUTIONS, `must list resolutions among ${RESOLUTIONS.join(', ')}`)).min(1))
    .transform((list) => [...new Set(list)])
    .default([...fallback]);
}

export function durationEnv(fallback: number): z.ZodType<number> {
  return z.enum(DURATIONS, `must be ${DURATIONS.join(' or ')}`).transform(Number).default(fallback);
}

export function yesNoEnv(fallback: boolean): z.ZodType<boolean> {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .default(fallback);
}

// --- Columns ------------------------------------------------------------------------

export function integerColumn(name: SettingsColumn): ColumnCodec<number> {
  return { name, toColumn: (value) => value, fromColumn: (stored) => Number(stored) };
}

/** 0/1: SQLite has no boolean. */
export function booleanColumn(name: SettingsColumn): ColumnCodec<boolean> {
  return { name, toColumn: (value) => (value ? 1 : 0), fromColumn: (stored) => Number(stored) === 1 };
}

/** One of a few words; a word that is no longer a choice falls back to the default. */
export function choiceColumn<T extends string>(name: SettingsColumn, choices: readonly T[]): ColumnCodec<T> {
  return {
    name,
    toColumn: (value) => value,
    fromColumn: (stored) => ((choices as readonly string[]).includes(String(stored)) ? (String(stored) as T) : null),
  };
}

export function idColumn(name: SettingsColumn): ColumnCodec<string | null> {
  return { name, toColumn: (id) => id, fromColumn: (stored) => String(stored) || null };
}

/** Comma-separated ids; an empty list is no list (null: "every channel", "everyone"). */
export function idListColumn(name: SettingsColumn): ColumnCodec<readonly string[]> {
  return {
    name,
    toColumn: (list) => list.join(','),
    fromColumn: (stored) => {
      const list = splitList(String(stored));
      return list.length > 0 ? list : null;
    },
  };
}

/** Comma-separated, always in the model's order (480p before 720p). */
export function resolutionListColumn(name: SettingsColumn): ColumnCodec<readonly Resolution[]> {
  return {
    name,
    toColumn: (list) => sortResolutions(list).join(','),
    fromColumn: (stored) => sortResolutions(splitList(String(stored)).filter(isResolution)),
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function sortResolutions(list: readonly string[]): Resolution[] {
  return RESOLUTIONS.filter((resolution) => list.includes(resolution));
}

export function isResolution(value: string): value is Resolution {
  return (RESOLUTIONS as readonly string[]).includes(value);
}

// --- Normalising and formatting -----------------------------------------------------

/** Ids without duplicates; an empty list is "no restriction" (null). */
export function distinctIds(list: readonly string[]): readonly string[] | null {
  return list.length === 0 ? null : [...new Set(list)];
}

/** 0 means "no limit" for every count. */
export function countOrNoLimit(value: number): MemberText {
  return Number(value) === 0 ? localized('ruleValue.noLimit') : String(value);
}

export function seconds(value: number): MemberText {
  const total = Number(value);
  if (total === 0) return localized('ruleValue.none');
  if (total < 120) return `${total} s`;
  if (total < 7200) return `${Math.round(total / 60)} min`;
  return `${Math.round(total / 3600)} h`;
}

/** Mentions (rendered as names, never pinging: replies allow no mentions), cut to fit an embed field. */
export function mentions(prefix: '#' | '@&', empty: SentenceKey): (ids: readonly string[]) => MemberText {
  return (ids) => (Array.isArray(ids) && ids.length > 0 ? shortList(ids.map((id) => `<${prefix}${String(id)}>`)) : localized(empty));
}
