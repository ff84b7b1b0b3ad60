import type { PeriodWindow } from './periods.js';

const DAY_MS = 86_400_000;

/** Spend on one UTC day. */
export interface DaySpend {
  /** 'YYYY-MM-DD', the UTC day. */
  day: string;
  cents: number;
}

/** A period's spending day by day, for the moderators' chart. */
export interface DailySpend {
  period: PeriodWindow;
  /** The server's budget for the period (0: nothing may be spent). */
  budgetCents: number;
  /** Every UTC day from the period's start through today, days without spending included, oldest first. */
  days: DaySpend[];
}

/**
 * Every UTC day of `period` up to and including the one `nowMs` falls in, each
 * with the total the store found for it (`rows`: whole days since the epoch)
 * or 0: a chart with the quiet days left out would squeeze the busy ones together.
 */
export function everyDaySoFar(period: PeriodWindow, nowMs: number, rows: ReadonlyArray<{ day: number; cents: number }>): DaySpend[] {
  const centsByDay = new Map(rows.map((row) => [row.day, row.cents]));
  const first = Math.floor(period.startMs / DAY_MS);
  const last = Math.floor((Math.min(nowMs, period.endMs - 1)) / DAY_MS);
  const days: DaySpend[] = [];
  for (let day = first; day <= last; day += 1) {
    days.push({ day: new Date(day * DAY_MS).toISOString().slice(0, 10), cents: centsByDay.get(day) ?? 0 });
  }
  return days;
}
