import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { InputError } from '../errors.js';
import { localized } from '../i18n/text.js';
import type { Store } from '../store/database.js';
import { clipCostCents } from './cost.js';
import { periodWindow, type PeriodWindow } from './periods.js';
import { columnsFromSettings, effectiveRules, isExempt, normalisePatch, sameSetting, settingsFromRow, validatePatch } from './policy.js';
import { QuotaStore, type Spender } from './quotaStore.js';
import { everyDaySoFar, type DailySpend } from './spendByDay.js';
import type { AuditEntry, ChangeOptions, ChangeSource, MemberUsage, QuotaAdmin, QuotaOverview, SettingChange } from './quotaTypes.js';
import { QUOTA_SETTINGS, type GuildSettings, type ListSetting, type QuotaRules, type QuotaSetting, type SettingsPatch } from './rules.js';

export interface QuotaAdministrationDeps {
  store: Store;
  config: Pick<Config, 'quota' | 'priceCentsPerSecond' | 'defaults'>;
  logger: Logger;
  now: () => number;
}

/**
 * The moderators' side of quotas: changing a server's settings (each change
 * audited in the same transaction), and the reports `/quota` and `/usage`
 * show. It reads the ledger's rows but never writes money movements.
 */
export class QuotaAdministration implements QuotaAdmin {
  private readonly quotaStore: QuotaStore;

  constructor(private readonly deps: QuotaAdministrationDeps) {
    this.quotaStore = new QuotaStore(deps.store.db, deps.store.engine);
  }

  /** A server's rules alone (one read): what a button or /settings checks a choice against. */
  async rules(guildId: string): Promise<QuotaRules> {
    return this.rulesOf(settingsFromRow(await this.quotaStore.findGuild(this.quotaStore.db, guildId)));
  }

  async overview(guildId: string): Promise<QuotaOverview> {
    const { db } = this.quotaStore;
    const nowMs = this.deps.now();
    const settings = settingsFromRow(await this.quotaStore.findGuild(db, guildId));
    const rules = this.rulesOf(settings);
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
    const rules = this.rulesOf(settingsFromRow(await this.quotaStore.findGuild(db, guildId)));
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

  async updateSettings(guildId: string, actorId: string, patch: SettingsPatch, options: ChangeOptions = {}): Promise<SettingChange[]> {
    validatePatch(patch, { maxGuildBudgetCents: this.deps.config.quota.maxGuildBudgetCents });
    return this.change(guildId, actorId, () => normalisePatch(patch), options);
  }

  async editList(
    guildId: string,
    actorId: string,
    list: ListSetting,
    action: 'add' | 'remove' | 'clear',
    id?: string,
  ): Promise<SettingChange[]> {
    if (action !== 'clear' && !id) throw new InputError(localized('quotaInput.whichOne'));
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

  async history(guildId: string, limit = 15, offset = 0): Promise<AuditEntry[]> {
    const rows = await this.quotaStore.history(this.quotaStore.db, guildId, limit, offset);
    return rows.map((row) => ({
      actorId: row.actor_id,
      setting: row.setting,
      oldValue: parseStored(row.old_value),
      newValue: parseStored(row.new_value),
      at: Number(row.at),
      via: changeSourceOf(row.via),
    }));
  }

  async historyLength(guildId: string): Promise<number> {
    return this.quotaStore.historyLength(this.quotaStore.db, guildId);
  }

  async top(guildId: string, limit = 10): Promise<{ period: PeriodWindow; spenders: Spender[] }> {
    const { db } = this.quotaStore;
    const rules = this.rulesOf(settingsFromRow(await this.quotaStore.findGuild(db, guildId)));
    const period = periodWindow(rules.budgetPeriod, this.deps.now());
    return { period, spenders: await this.quotaStore.topSpenders(db, guildId, period, limit) };
  }

  /** This period's spending per UTC day, the server's or (with `userId`) one member's, and the server's budget. */
  async spendByDay(guildId: string, userId: string | null = null): Promise<DailySpend> {
    const { db } = this.quotaStore;
    const nowMs = this.deps.now();
    const rules = this.rulesOf(settingsFromRow(await this.quotaStore.findGuild(db, guildId)));
    const period = periodWindow(rules.budgetPeriod, nowMs);
    const rows = await this.quotaStore.spendByDay(db, guildId, period, userId);
    return { period, budgetCents: rules.budgetCents, days: everyDaySoFar(period, nowMs, rows) };
  }

  private rulesOf(settings: GuildSettings): QuotaRules {
    const { defaults, maxGuildBudgetCents } = this.deps.config.quota;
    return effectiveRules(settings, defaults, maxGuildBudgetCents);
  }

  /** Applies a patch worked out from the locked settings, and audits each setting it changed. */
  private async change(
    guildId: string,
    actorId: string,
    patchOf: (current: GuildSettings) => SettingsPatch,
    options: ChangeOptions = {},
  ): Promise<SettingChange[]> {
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
          via: options.via ?? null,
        })),
      );
      return changed;
    });
    if (changes.length > 0) this.deps.logger.info({ guildId, actorId, changes, via: options.via ?? 'command' }, 'quota settings changed');
    return changes;
  }
}

function storedValue(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function changeSourceOf(stored: string | null): ChangeSource | null {
  return stored === 'dashboard' ? stored : null;
}

function parseStored(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
