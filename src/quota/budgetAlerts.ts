import type { Logger } from 'pino';
import { DURATIONS, type Resolution } from '../config/videoChoices.js';
import { QuotaError } from '../errors.js';
import type { AlertSink } from './alerts.js';
import { clipCostCents } from './cost.js';
import type { PeriodWindow } from './periods.js';
import type { QuotaStore } from './quotaStore.js';
import type { QuotaRules } from './rules.js';

/** The cheapest clip a member can ask for is the shortest one. */
const SHORTEST_DURATION = Math.min(...DURATIONS.map(Number));

/** A reservation just decided: what the server has spent in its period counting it, and the refusal if it was refused. */
export interface ReservationOutcome {
  guildId: string;
  rules: QuotaRules;
  period: PeriodWindow;
  spentCents: number;
  refused: unknown;
  nowMs: number;
  /** The server's Discord locale, for the alert's language. */
  guildLocale: string | null;
}

/**
 * The moderators' budget alerts (80 % and 100 % of the period's budget), in
 * the server's mod-log channel: each sent once per period and threshold, in
 * the background so that a reservation never waits on Discord.
 */
export class BudgetAlerts {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      quotaStore: QuotaStore;
      sink: AlertSink;
      logger: Logger;
      priceCentsPerSecond: Record<Resolution, number>;
    },
  ) {}

  async afterReservation(outcome: ReservationOutcome): Promise<void> {
    const { refused, rules, spentCents } = outcome;
    // "Used up" only when not even the cheapest clip the server allows still fits,
    // not merely because this (perhaps 1080p, 10 s) clip did not.
    const exhausted =
      refused instanceof QuotaError && refused.rule === 'guild_budget' && rules.budgetCents - spentCents < this.cheapestClipCents(rules);
    if (refused && !exhausted) return;
    await this.alertIfDue(outcome, exhausted);
  }

  /** Waits for alerts still being posted (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async alertIfDue({ guildId, rules, period, spentCents, nowMs, guildLocale }: ReservationOutcome, exhausted: boolean): Promise<void> {
    const { quotaStore, logger } = this.deps;
    const channelId = rules.modLogChannelId;
    if (!channelId) return;
    const reached = alertThresholds(spentCents, rules.budgetCents, exhausted);
    for (const thresholdPercent of reached) {
      if (!(await quotaStore.claimAlert(quotaStore.db, guildId, period.key, thresholdPercent, nowMs))) continue;
      // Reaching 100 % at once says all the 80 % alert would: claim it quietly.
      if (thresholdPercent === 80 && reached.includes(100)) continue;
      const alert = { guildId, channelId, thresholdPercent, spentCents, budgetCents: rules.budgetCents, period, locale: guildLocale };
      logger.info({ guildId, thresholdPercent, spentCents, budgetCents: rules.budgetCents, period: period.key }, 'quota: budget alert');
      const sent = this.deps.sink
        .budgetAlert(alert)
        .catch((error: unknown) => logger.warn({ err: error, guildId, thresholdPercent }, 'quota: could not post the budget alert'))
        .finally(() => this.pending.delete(sent));
      this.pending.add(sent);
    }
  }

  private cheapestClipCents(rules: QuotaRules): number {
    const prices = rules.allowedResolutions.map((resolution) => clipCostCents(this.deps.priceCentsPerSecond, resolution, SHORTEST_DURATION));
    return Math.min(...prices);
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
