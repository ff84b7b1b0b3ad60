import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { InputError, QuotaError } from '../errors.js';
import type { Store } from '../store/database.js';
import type { LedgerRow } from '../store/schema.js';
import type { AlertSink } from './alerts.js';
import { clipCostCents } from './cost.js';
import { periodWindow, type PeriodWindow } from './periods.js';
import {
  QUOTA_SETTINGS,
  alertThresholds,
  checkLimits,
  checkRequest,
  columnsFromSettings,
  effectiveRules,
  isExempt,
  normalisePatch,
  sameSetting,
  settingsFromRow,
  type GuildSettings,
  type QuotaRequest,
  type QuotaRules,
  type QuotaSetting,
  type SettingsPatch,
  type UsageSnapshot,
} from './policy.js';
import { QuotaStore, type Spender } from './quotaStore.js';
import type {
  AuditEntry,
  LedgerJob,
  ListSetting,
  MemberContext,
  MemberUsage,
  QuotaAdmin,
  QuotaOverview,
  QuotaService,
  Reservation,
  SettingChange,
} from './quotaTypes.js';

export interface QuotaServiceDeps {
  store: Store;
  config: Pick<Config, 'quota' | 'priceCentsPerSecond' | 'defaults'>;
  alerts: AlertSink;
  logger: Logger;
  now: () => number;
}

/** The most a per-member or per-server count limit may be set to. */
export const MAX_COUNT_LIMIT = 1_000;
export const MAX_COOLDOWN_SECONDS = 86_400;

/**
 * Quotas kept in the store: every reservation is one transaction that reads
 * the server's usage, checks every rule and writes the reserve row; every
 * settlement is one ledger row the database refuses to write twice.
 */
export class GuildQuotaService implements QuotaService, QuotaAdmin {
  private readonly quotaStore: QuotaStore;
  private readonly pendingAlerts = new Set<Promise<void>>();

  constructor(private readonly deps: QuotaServiceDeps) {
    this.quotaStore = new QuotaStore(deps.store.db, deps.store.engine);
  }

  // --- QuotaService ---------------------------------------------------------------

  async reserve(job: LedgerJob, member: MemberContext): Promise<Reservation> {
    const { quota } = this.deps.config;
    const guildId = job.guildId;
    if (!guildId) throw new QuotaError('/animate works only in servers.', 'dm');
    if (quota.allowedGuildIds.length > 0 && !quota.allowedGuildIds.includes(guildId)) {
      throw new QuotaError('/animate is not enabled on this server. Its moderators can ask the bot’s operator.', 'guild_not_allowed');
    }
    const nowMs = this.deps.now();
    const costCents = job.costCents;
    const request: QuotaRequest = {
      channelId: job.channelId,
      parentChannelId: member.parentChannelId ?? null,
      roleIds: member.roleIds,
      resolution: job.resolution,
      durationSeconds: job.durationSeconds,
      hasAudio: job.audioSourceUrl !== null,
      costCents,
    };
    const store = this.quotaStore;
    // A refusal is returned, not thrown, so the transaction (which may have
    // created the settings row) commits and the budget alert can follow it.
    const outcome = await store.db.transaction().execute(async (trx) => {
      const rules = effectiveRules(settingsFromRow(await store.lockGuild(trx, guildId, nowMs)), quota.defaults, quota.maxGuildBudgetCents);
      const period = periodWindow(rules.budgetPeriod, nowMs);
      const day = periodWindow('day', nowMs);
      try {
        checkRequest(rules, request);
      } catch (error) {
        return { refused: error, rules, period, spentCents: 0 };
      }
      const exempt = isExempt(rules, member.roleIds);
      const usage = await this.readUsage(trx, guildId, job.userId, exempt, rules, nowMs, period, day);
      try {
        checkLimits({ rules, exempt, usage, costCents, nowMs, period, day, globalDailyBudgetCents: quota.globalDailyBudgetCents });
      } catch (error) {
        return { refused: error, rules, period, spentCents: usage.guildSpentCents };
      }
      await store.record(trx, {
        jobId: job.id,
        kind: 'reserve',
        guildId,
        userId: job.userId,
        amountCents: costCents,
        periodKey: period.key,
        reservedAt: nowMs,
        at: nowMs,
      });
      return { refused: undefined, rules, period, spentCents: usage.guildSpentCents + costCents };
    });

    const { rules, period, spentCents, refused } = outcome;
    // "Used up" only when not even the cheapest clip the server allows still fits,
    // not merely because this (perhaps 1080p, 10 s) clip did not.
    const exhausted =
      refused instanceof QuotaError &&
      refused.rule === 'guild_budget' &&
      rules.budgetCents - spentCents < this.cheapestClipCents(rules);
    if (!refused || exhausted) await this.alertIfDue(guildId, rules, period, spentCents, exhausted, nowMs);
    if (refused) throw refused;
    this.log(job).debug({ costCents, spentCents, period: period.key }, 'quota reserved');
    return { costCents, remainingCents: Math.max(0, rules.budgetCents - spentCents), periodLabel: period.label };
  }

  async commit(job: LedgerJob): Promise<void> {
    await this.settle(job, 'commit');
  }

  async refund(job: LedgerJob): Promise<void> {
    await this.settle(job, 'refund');
  }

  async unsettledJobIds(): Promise<string[]> {
    return this.quotaStore.unsettledJobIds(this.quotaStore.db);
  }

  /** Every money movement of a job, oldest first (audits and tests). */
  async movements(jobId: string): Promise<LedgerRow[]> {
    return this.quotaStore.ledgerOf(this.quotaStore.db, jobId);
  }

  /** Waits for alerts still being posted (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pendingAlerts.size > 0) await Promise.allSettled([...this.pendingAlerts]);
  }

  // --- QuotaAdmin -----------------------------------------------------------------

  async overview(guildId: string): Promise<QuotaOverview> {
    const { db } = this.quotaStore;
    const nowMs = this.deps.now();
    const settings = settingsFromRow(await this.quotaStore.findGuild(db, guildId));
    const rules = effectiveRules(settings, this.deps.config.quota.defaults, this.deps.config.quota.maxGuildBudgetCents);
    const period = periodWindow(rules.budgetPeriod, nowMs);
    const spentCents = await this.quotaStore.guildSpent(db, guildId, period);
    const leftCents = Math.max(0, rules.budgetCents - spentCents);
    const { defaults, priceCentsPerSecond } = this.deps.config;
    const defaultClipCents = clipCostCents(priceCentsPerSecond, defaults.resolution, defaults.duration);
    return {
      guildId,
      rules,
      settings,
      defaults: this.deps.config.quota.defaults,
      period,
      spentCents,
      leftCents,
      defaultClipCents,
      clipsLeft: defaultClipCents > 0 ? Math.floor(leftCents / defaultClipCents) : 0,
      openJobs: await this.quotaStore.openJobs(db, guildId, null, nowMs),
    };
  }

  async memberUsage(guildId: string, userId: string, roleIds: readonly string[]): Promise<MemberUsage> {
    const { db } = this.quotaStore;
    const nowMs = this.deps.now();
    const rules = effectiveRules(settingsFromRow(await this.quotaStore.findGuild(db, guildId)), this.deps.config.quota.defaults, this.deps.config.quota.maxGuildBudgetCents);
    const period = periodWindow(rules.budgetPeriod, nowMs);
    const day = periodWindow('day', nowMs);
    const exempt = isExempt(rules, roleIds);
    const resetAt = await this.quotaStore.memberResetAt(db, guildId, userId);
    const since = (start: number) => Math.max(start, resetAt ?? 0);
    const inPeriod = await this.quotaStore.memberUse(db, guildId, userId, { startMs: since(period.startMs), endMs: period.endMs });
    const today = await this.quotaStore.memberUse(db, guildId, userId, { startMs: since(day.startMs), endMs: day.endMs });
    let nextClipAt: number | null = null;
    if (!exempt && rules.memberCooldownSeconds > 0) {
      const cooldownMs = rules.memberCooldownSeconds * 1000;
      const last = await this.quotaStore.memberLastReservedAt(db, guildId, userId, since(nowMs - cooldownMs));
      if (last !== null && last + cooldownMs > nowMs) nextClipAt = last + cooldownMs;
    }
    const guildSpentCents = await this.quotaStore.guildSpent(db, guildId, period);
    return {
      guildId,
      userId,
      exempt,
      rules,
      period,
      day,
      spentCents: inPeriod.spentCents,
      clipsToday: today.clips,
      clipsLeftToday: exempt || rules.memberClipsPerDay === 0 ? null : Math.max(0, rules.memberClipsPerDay - today.clips),
      nextClipAt,
      openJobs: await this.quotaStore.openJobs(db, guildId, userId, nowMs),
      resetAt,
      guildSpentCents,
      guildLeftCents: Math.max(0, rules.budgetCents - guildSpentCents),
    };
  }

  async updateSettings(guildId: string, actorId: string, patch: SettingsPatch): Promise<SettingChange[]> {
    this.validate(patch);
    return this.change(guildId, actorId, () => normalisePatch(patch));
  }

  async editList(
    guildId: string,
    actorId: string,
    list: ListSetting,
    action: 'add' | 'remove' | 'clear',
    id?: string,
  ): Promise<SettingChange[]> {
    if (action !== 'clear' && !id) throw new InputError('Say which one to add or remove.');
    return this.change(guildId, actorId, (current) => {
      const items = current[list] ?? [];
      const next = action === 'clear' ? [] : action === 'add' ? [...items, id ?? ''] : items.filter((item) => item !== id);
      return normalisePatch({ [list]: next });
    });
  }

  async resetMember(guildId: string, actorId: string, userId: string): Promise<void> {
    const nowMs = this.deps.now();
    await this.quotaStore.db.transaction().execute(async (trx) => {
      await this.quotaStore.lockGuild(trx, guildId, nowMs);
      await this.quotaStore.setMemberReset(trx, guildId, userId, nowMs);
      await this.quotaStore.audit(trx, [
        { guildId, actorId, setting: 'memberReset', oldValue: null, newValue: JSON.stringify(userId), at: nowMs },
      ]);
    });
    this.deps.logger.info({ guildId, actorId, userId }, 'quota: member reset');
  }

  async history(guildId: string, limit = 15): Promise<AuditEntry[]> {
    const rows = await this.quotaStore.history(this.quotaStore.db, guildId, limit);
    return rows.map((row) => ({
      actorId: row.actor_id,
      setting: row.setting,
      oldValue: parseStored(row.old_value),
      newValue: parseStored(row.new_value),
      at: Number(row.at),
    }));
  }

  async top(guildId: string, limit = 10): Promise<{ period: PeriodWindow; spenders: Spender[] }> {
    const { db } = this.quotaStore;
    const rules = effectiveRules(settingsFromRow(await this.quotaStore.findGuild(db, guildId)), this.deps.config.quota.defaults, this.deps.config.quota.maxGuildBudgetCents);
    const period = periodWindow(rules.budgetPeriod, this.deps.now());
    return { period, spenders: await this.quotaStore.topSpenders(db, guildId, period, limit) };
  }

  // --- Inside -------------------------------------------------------------------

  private async readUsage(
    trx: QuotaStore['db'],
    guildId: string,
    userId: string,
    exempt: boolean,
    rules: QuotaRules,
    nowMs: number,
    period: PeriodWindow,
    day: PeriodWindow,
  ): Promise<UsageSnapshot> {
    const store = this.quotaStore;
    const usage: UsageSnapshot = {
      memberClipsToday: 0,
      memberLastReservedAt: null,
      memberOpenJobs: 0,
      guildOpenJobs: 0,
      guildSpentCents: await store.guildSpent(trx, guildId, period),
      globalSpentTodayCents: 0,
    };
    if (!exempt) {
      const resetAt = await store.memberResetAt(trx, guildId, userId);
      const since = (start: number) => Math.max(start, resetAt ?? 0);
      if (rules.memberConcurrentJobs > 0) usage.memberOpenJobs = await store.openJobs(trx, guildId, userId, nowMs);
      if (rules.memberCooldownSeconds > 0) {
        usage.memberLastReservedAt = await store.memberLastReservedAt(trx, guildId, userId, since(nowMs - rules.memberCooldownSeconds * 1000));
      }
      if (rules.memberClipsPerDay > 0) {
        usage.memberClipsToday = (await store.memberUse(trx, guildId, userId, { startMs: since(day.startMs), endMs: day.endMs })).clips;
      }
    }
    if (rules.guildConcurrentJobs > 0) usage.guildOpenJobs = await store.openJobs(trx, guildId, null, nowMs);
    // Taken last and held to the commit: the global cap sees every server's reservations in order.
    await store.lockGlobal(trx);
    usage.globalSpentTodayCents = await store.globalSpent(trx, day);
    return usage;
  }

  /**
   * Writes the commit or refund of a job's reservation, at most once each, and
   * never both: the reserve row is locked while deciding, and UNIQUE (job_id,
   * kind) turns a second write of the same kind into a no-op.
   */
  private async settle(job: LedgerJob, kind: 'commit' | 'refund'): Promise<boolean> {
    const nowMs = this.deps.now();
    const store = this.quotaStore;
    const result = await store.db.transaction().execute(async (trx) => {
      const reserve = await store.lockReserve(trx, job.id);
      if (!reserve) return { written: false, reason: 'nothing reserved' };
      const movements = await store.ledgerOf(trx, job.id);
      const other = kind === 'commit' ? 'refund' : 'commit';
      if (movements.some((movement) => movement.kind === other)) return { written: false, reason: `already ${other}ted` };
      const written = await store.record(trx, {
        jobId: job.id,
        kind,
        guildId: reserve.guild_id,
        userId: reserve.user_id,
        amountCents: reserve.amount_cents,
        periodKey: reserve.period_key,
        reservedAt: Number(reserve.reserved_at),
        at: nowMs,
      });
      return { written, reason: written ? undefined : `already ${kind}ted`, amountCents: reserve.amount_cents };
    });
    const log = this.log(job);
    if (result.written) log.info({ amountCents: result.amountCents }, kind === 'commit' ? 'quota committed' : 'quota refunded');
    else if (result.reason === 'already committed') log.warn('quota: refund of a delivered job ignored');
    else log.debug({ reason: result.reason }, `quota: no ${kind}`);
    return result.written;
  }

  private async change(guildId: string, actorId: string, patchOf: (current: GuildSettings) => SettingsPatch): Promise<SettingChange[]> {
    const nowMs = this.deps.now();
    const changes = await this.quotaStore.db.transaction().execute(async (trx) => {
      const current = settingsFromRow(await this.quotaStore.lockGuild(trx, guildId, nowMs));
      const patch = patchOf(current);
      const next: GuildSettings = { ...current };
      const changed: SettingChange[] = [];
      for (const setting of QUOTA_SETTINGS) {
        if (!(setting in patch)) continue;
        const value = patch[setting] ?? null;
        if (sameSetting(current[setting], value)) continue;
        changed.push({ setting, oldValue: current[setting], newValue: value });
        (next as Record<QuotaSetting, unknown>)[setting] = value;
      }
      if (changed.length === 0) return changed;
      await this.quotaStore.updateGuild(trx, guildId, columnsFromSettings(next), nowMs);
      await this.quotaStore.audit(
        trx,
        changed.map((change) => ({
          guildId,
          actorId,
          setting: change.setting,
          oldValue: storedValue(change.oldValue),
          newValue: storedValue(change.newValue),
          at: nowMs,
        })),
      );
      return changed;
    });
    if (changes.length > 0) this.deps.logger.info({ guildId, actorId, changes }, 'quota settings changed');
    return changes;
  }

  /** Operator limits on what moderators may set; the messages are for the moderator. */
  private validate(patch: SettingsPatch): void {
    const { maxGuildBudgetCents } = this.deps.config.quota;
    if (patch.budgetCents !== undefined && patch.budgetCents !== null) {
      if (!Number.isInteger(patch.budgetCents) || patch.budgetCents < 0) throw new InputError('The budget must be 0 or more dollars.');
      if (patch.budgetCents > maxGuildBudgetCents) {
        throw new InputError(`The budget can be at most $${(maxGuildBudgetCents / 100).toFixed(2)} per period (the bot's operator sets this cap).`);
      }
    }
    for (const key of ['memberClipsPerDay', 'memberConcurrentJobs', 'guildConcurrentJobs'] as const) {
      const value = patch[key];
      if (value !== undefined && value !== null && (!Number.isInteger(value) || value < 0 || value > MAX_COUNT_LIMIT)) {
        throw new InputError(`Limits must be whole numbers from 0 (no limit) to ${MAX_COUNT_LIMIT}.`);
      }
    }
    const cooldown = patch.memberCooldownSeconds;
    if (cooldown !== undefined && cooldown !== null && (!Number.isInteger(cooldown) || cooldown < 0 || cooldown > MAX_COOLDOWN_SECONDS)) {
      throw new InputError(`The cooldown must be from 0 (none) to ${MAX_COOLDOWN_SECONDS} seconds.`);
    }
    if (patch.allowedResolutions !== undefined && patch.allowedResolutions !== null && patch.allowedResolutions.length === 0) {
      throw new InputError('Allow at least one resolution.');
    }
  }

  private cheapestClipCents(rules: QuotaRules): number {
    const prices = rules.allowedResolutions.map((resolution) => clipCostCents(this.deps.config.priceCentsPerSecond, resolution, '5'));
    return Math.min(...prices);
  }

  private async alertIfDue(
    guildId: string,
    rules: QuotaRules,
    period: PeriodWindow,
    spentCents: number,
    exhausted: boolean,
    nowMs: number,
  ): Promise<void> {
    const channelId = rules.modLogChannelId;
    if (!channelId) return;
    const reached = alertThresholds(spentCents, rules.budgetCents, exhausted);
    for (const thresholdPercent of reached) {
      if (!(await this.quotaStore.claimAlert(this.quotaStore.db, guildId, period.key, thresholdPercent, nowMs))) continue;
      // Reaching 100 % at once says all the 80 % alert would: claim it quietly.
      if (thresholdPercent === 80 && reached.includes(100)) continue;
      const alert = { guildId, channelId, thresholdPercent, spentCents, budgetCents: rules.budgetCents, period };
      this.deps.logger.info({ guildId, thresholdPercent, spentCents, budgetCents: rules.budgetCents, period: period.key }, 'quota: budget alert');
      // Posted in the background: the member's reservation must not wait on Discord.
      const sent = this.deps.alerts
        .budgetAlert(alert)
        .catch((error: unknown) => this.deps.logger.warn({ err: error, guildId, thresholdPercent }, 'quota: could not post the budget alert'))
        .finally(() => this.pendingAlerts.delete(sent));
      this.pendingAlerts.add(sent);
    }
  }

  private log(job: LedgerJob): Logger {
    return this.deps.logger.child({ jobId: job.id, guildId: job.guildId });
  }
}

function storedValue(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function parseStored(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
