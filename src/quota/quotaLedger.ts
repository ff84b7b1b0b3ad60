import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { QuotaError } from '../errors.js';
import { localized } from '../i18n/text.js';
import type { Store } from '../store/database.js';
import type { LedgerRow } from '../store/schema.js';
import type { AlertSink } from './alerts.js';
import { BudgetAlerts } from './budgetAlerts.js';
import { periodWindow, type PeriodWindow } from './periods.js';
import { checkLimits, checkRequest, effectiveRules, isExempt, settingsFromRow } from './policy.js';
import { QuotaStore } from './quotaStore.js';
import type { LedgerJob, LedgerJobRef, MemberContext, QuotaService, Reservation } from './quotaTypes.js';
import type { QuotaRequest, UsageSnapshot } from './ruleKit.js';
import type { QuotaRules } from './rules.js';

export interface QuotaLedgerDeps {
  store: Store;
  config: Pick<Config, 'quota' | 'priceCentsPerSecond'>;
  /** Where the budget alerts a reservation triggers are posted. */
  alerts: AlertSink;
  logger: Logger;
  now: () => number;
}

/**
 * The jobs' side of quotas, kept in the store: every reservation is one
 * transaction that reads the server's usage, checks every rule and writes the
 * reserve row; every settlement is one ledger row the database refuses to
 * write twice.
 */
export class QuotaLedger implements QuotaService {
  private readonly quotaStore: QuotaStore;
  private readonly budgetAlerts: BudgetAlerts;

  constructor(private readonly deps: QuotaLedgerDeps) {
    this.quotaStore = new QuotaStore(deps.store.db, deps.store.engine);
    this.budgetAlerts = new BudgetAlerts({
      quotaStore: this.quotaStore,
      sink: deps.alerts,
      logger: deps.logger,
      priceCentsPerSecond: deps.config.priceCentsPerSecond,
    });
  }

  async reserve(job: LedgerJob, member: MemberContext): Promise<Reservation> {
    const { quota } = this.deps.config;
    const { guildId, costCents } = job;
    if (!guildId) throw new QuotaError(localized('quota.dm'), 'dm');
    if (quota.allowedGuildIds.length > 0 && !quota.allowedGuildIds.includes(guildId)) {
      throw new QuotaError(localized('quota.guildNotAllowed'), 'guild_not_allowed');
    }
    const nowMs = this.deps.now();
    const request: QuotaRequest = {
      channelId: job.channelId,
      parentChannelId: member.parentChannelId ?? null,
      roleIds: member.roleIds,
      resolution: job.resolution,
      durationSeconds: job.durationSeconds,
      hasAudio: job.hasAudio,
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
    await this.budgetAlerts.afterReservation({ guildId, rules, period, spentCents, refused, nowMs, guildLocale: member.guildLocale ?? null });
    if (refused) throw refused;
    this.log(job).debug({ costCents, spentCents, period: period.key }, 'quota reserved');
    return { costCents, remainingCents: Math.max(0, rules.budgetCents - spentCents), periodLabel: period.label };
  }

  async commit(job: LedgerJobRef): Promise<void> {
    await this.settle(job, 'commit');
  }

  async refund(job: LedgerJobRef): Promise<void> {
    await this.settle(job, 'refund');
  }

  async unsettledJobIds(): Promise<string[]> {
    return this.quotaStore.unsettledJobIds(this.quotaStore.db);
  }

  /** Every money movement of a job, oldest first (audits and tests). */
  async movements(jobId: string): Promise<LedgerRow[]> {
    return this.quotaStore.ledgerOf(this.quotaStore.db, jobId);
  }

  /** Waits for budget alerts still being posted (tests, shutdown). */
  async idle(): Promise<void> {
    await this.budgetAlerts.idle();
  }

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
  private async settle(job: LedgerJobRef, kind: 'commit' | 'refund'): Promise<boolean> {
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

  private log(job: LedgerJobRef): Logger {
    return this.deps.logger.child({ jobId: job.id, guildId: job.guildId });
  }
}
