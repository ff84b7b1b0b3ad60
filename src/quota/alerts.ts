import type { PeriodWindow } from './periods.js';

/** A server's spending passed a share of its budget (sent once per period and threshold). */
export interface BudgetAlert {
  guildId: string;
  /** The server's mod-log channel. */
  channelId: string;
  /** 80: spending reached 80 %; 100: the budget is used up (reached, or a job was refused for it). */
  thresholdPercent: 80 | 100;
  spentCents: number;
  budgetCents: number;
  period: PeriodWindow;
  /** The server's Discord locale: moderators read the alert in the server's language. Left out or null: English. */
  locale?: string | null;
}

/**
 * Where the quota part sends alerts. Implemented in src/discord (a message in
 * the mod-log channel); the quota part knows nothing of Discord's wire.
 */
export interface AlertSink {
  budgetAlert(alert: BudgetAlert): Promise<void>;
}
