import type { PeriodWindow } from './periods.js';
import type { Spender } from './quotaStore.js';
import type { DailySpend } from './spendByDay.js';
import type { GuildSettings, ListSetting, QuotaDefaults, QuotaRules, QuotaSetting, SettingsPatch } from './rules.js';

/**
 * The quota part's contracts: the seam the job pipeline calls (QuotaService,
 * kept by the ledger) and the API the /quota and /usage commands call
 * (QuotaAdmin, the moderators' administration and reports).
 */

/** What the ledger needs to know of a job. */
export interface LedgerJob {
  id: string;
  /** null outside a server (a DM): refused. */
  guildId: string | null;
  channelId: string;
  userId: string;
  costCents: number;
  resolution: string;
  durationSeconds: number;
  hasAudio: boolean;
}

/** Settling needs only which job it is. */
export type LedgerJobRef = Pick<LedgerJob, 'id' | 'guildId'>;

/** Who is asking, as far as quota rules care. */
export interface MemberContext {
  roleIds: readonly string[];
  /** When the command runs in a thread: the channel it belongs to (allowed channels include their threads). */
  parentChannelId?: string | null;
  /** The server's Discord locale (the interaction's `guild_locale`): the language of its mod-log alerts. */
  guildLocale?: string | null;
}

/** What a reservation cost and what is left, for the member's progress line. */
export interface Reservation {
  costCents: number;
  /** Budget left in the server's period after this job, or null when there is no budget. */
  remainingCents: number | null;
  /** "today", "this week", "this month". */
  periodLabel: string | null;
}

/**
 * The seam between jobs and money. `reserve` runs before any paid call, in one
 * transaction that checks every rule, and throws a QuotaError naming the rule
 * that blocks the job; `commit` and `refund` settle it, each at most once per
 * job (a refund of a job that reserved nothing does nothing).
 */
export interface QuotaService {
  reserve(job: LedgerJob, member: MemberContext): Promise<Reservation>;
  commit(job: LedgerJobRef): Promise<void>;
  refund(job: LedgerJobRef): Promise<void>;
  /** Ids of jobs reserved but neither committed nor refunded (a crash between the two writes). */
  unsettledJobIds(): Promise<string[]>;
}

/** A server's rules and this period's spending, for `/quota show`. */
export interface QuotaOverview {
  guildId: string;
  rules: QuotaRules;
  /** The server's own choices; null = the operator's default. */
  settings: GuildSettings;
  defaults: QuotaDefaults;
  period: PeriodWindow;
  spentCents: number;
  leftCents: number;
  /** One clip at the default resolution and duration, for "≈ N clips". */
  defaultClipCents: number;
  clipsLeft: number;
  openJobs: number;
}

/** One member's use, for `/usage`. */
export interface MemberUsage {
  guildId: string;
  userId: string;
  exempt: boolean;
  rules: QuotaRules;
  period: PeriodWindow;
  day: PeriodWindow;
  /** In the server's period, since the member's last reset. */
  spentCents: number;
  clipsToday: number;
  /** null = no daily limit (or exempt). */
  clipsLeftToday: number | null;
  /** When the cooldown ends, or null when the member may start now. */
  nextClipAt: number | null;
  openJobs: number;
  resetAt: number | null;
  guildSpentCents: number;
  guildLeftCents: number;
}

export interface SettingChange {
  setting: QuotaSetting;
  oldValue: unknown;
  newValue: unknown;
}

export interface AuditEntry {
  actorId: string;
  /** A QuotaSetting, or 'memberReset' (newValue is the member's id). */
  setting: string;
  /** As the server had it; null = the operator's default. */
  oldValue: unknown;
  newValue: unknown;
  at: number;
  /** Where the change was made: 'dashboard', or null for /quota. */
  via: ChangeSource | null;
}

/** A change made anywhere but /quota says so in the audit log. */
export type ChangeSource = 'dashboard';

export interface ChangeOptions {
  via?: ChangeSource;
}

/** What `/quota` and `/usage` call. Every change writes audit rows in the same transaction. */
export interface QuotaAdmin {
  /** The rules that apply in a server now (its settings over the operator's defaults). */
  rules(guildId: string): Promise<QuotaRules>;
  overview(guildId: string): Promise<QuotaOverview>;
  memberUsage(guildId: string, userId: string, roleIds: readonly string[]): Promise<MemberUsage>;
  /** Applies the patch; returns what actually changed (nothing when every value was already so). */
  updateSettings(guildId: string, actorId: string, patch: SettingsPatch, options?: ChangeOptions): Promise<SettingChange[]>;
  editList(guildId: string, actorId: string, list: ListSetting, action: 'add' | 'remove' | 'clear', id?: string): Promise<SettingChange[]>;
  /** Gives the member their daily clips and cooldown back; the server's spending stays (it was paid). */
  resetMember(guildId: string, actorId: string, userId: string): Promise<void>;
  history(guildId: string, limit?: number, offset?: number): Promise<AuditEntry[]>;
  /** How many audit entries the server has (for paging). */
  historyLength(guildId: string): Promise<number>;
  top(guildId: string, limit?: number): Promise<{ period: PeriodWindow; spenders: Spender[] }>;
  /** This period's spending per UTC day (zero days included), the server's or one member's, with the server's budget. */
  spendByDay(guildId: string, userId?: string | null): Promise<DailySpend>;
}
