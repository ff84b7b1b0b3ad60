/** How often a server's budget starts again. */
export const BUDGET_PERIODS = ['day', 'week', 'month'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/**
 * Budget periods in UTC, whatever the server's or the machine's time zone: a
 * day starts at 00:00 UTC, a week on Monday 00:00 UTC (ISO 8601), a month on
 * the 1st at 00:00 UTC. A period's end is the next one's start, so "resets at"
 * is simply `endMs`. Pure functions of a timestamp: tests pass any clock.
 */
export interface PeriodWindow {
  period: BudgetPeriod;
  /** Names the period, e.g. 'day:2026-11-25', 'week:2026-W48', 'month:2026-11'. */
  key: string;
  startMs: number;
  /** Exclusive; the moment the period rolls over. */
  endMs: number;
  label: PeriodLabel;
}

export type PeriodLabel = 'today' | 'this week' | 'this month';

const DAY_MS = 86_400_000;

const LABELS: Record<BudgetPeriod, PeriodLabel> = { day: 'today', week: 'this week', month: 'this month' };

export function periodLabel(period: BudgetPeriod): PeriodLabel {
  return LABELS[period];
}

export function periodWindow(period: BudgetPeriod, nowMs: number): PeriodWindow {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const dayStartMs = Date.UTC(year, month, now.getUTCDate());
  switch (period) {
    case 'day':
      return { period, key: `day:${isoDate(dayStartMs)}`, startMs: dayStartMs, endMs: dayStartMs + DAY_MS, label: LABELS.day };
    case 'week': {
      const daysSinceMonday = (now.getUTCDay() + 6) % 7;
      const startMs = dayStartMs - daysSinceMonday * DAY_MS;
      return { period, key: `week:${isoWeekName(startMs)}`, startMs, endMs: startMs + 7 * DAY_MS, label: LABELS.week };
    }
    case 'month':
      return {
        period,
        key: `month:${year}-${pad(month + 1)}`,
        startMs: Date.UTC(year, month, 1),
        endMs: Date.UTC(year, month + 1, 1),
        label: LABELS.month,
      };
  }
}

/** 'YYYY-Www' for the ISO week that starts on the given Monday (its Thursday decides the year). */
function isoWeekName(mondayMs: number): string {
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY_MS / 7) + 1;
  return `${isoYear}-W${pad(week)}`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
