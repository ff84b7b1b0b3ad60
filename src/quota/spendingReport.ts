import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import { QuotaStore, type Spender, type Window } from './quotaStore.js';

/**
 * Where a server's money went in a window, from the ledger (what members
 * spent = reserves − refunds, as every balance is counted): per UTC day, per
 * member and per resolution. Read-only; the dashboard's charts draw it.
 */

const DAY_MS = 86_400_000;

// Usage = reserves − refunds; commit rows only settle a reservation (as in quotaStore.ts).
const signedCents = sql<number>`coalesce(sum(case when l.kind = 'reserve' then l.amount_cents when l.kind = 'refund' then -l.amount_cents else 0 end), 0)`;
const signedClips = sql<number>`coalesce(sum(case when l.kind = 'reserve' then 1 when l.kind = 'refund' then -1 else 0 end), 0)`;

export interface DaySpending {
  /** 'YYYY-MM-DD' (UTC). */
  day: string;
  cents: number;
}

export interface ResolutionSpending {
  resolution: string;
  cents: number;
  clips: number;
}

export class SpendingReport {
  private readonly quotaStore: QuotaStore;

  constructor(private readonly store: Store) {
    this.quotaStore = new QuotaStore(store.db, store.engine);
  }

  /** Every UTC day of the window up to `untilMs` (the period so far), days without spending included. */
  async perDay(guildId: string, window: Window, untilMs: number): Promise<DaySpending[]> {
    // Integer division on both engines (bigint / integer in PostgreSQL, integer / integer in SQLite).
    const dayNumber = sql<number>`l.reserved_at / ${sql.lit(DAY_MS)}`;
    const rows = await this.store.db
      .selectFrom('quota_ledger as l')
      .select([dayNumber.as('day_number'), signedCents.as('cents')])
      .where('l.guild_id', '=', guildId)
      .where('l.reserved_at', '>=', window.startMs)
      .where('l.reserved_at', '<', window.endMs)
      .groupBy(dayNumber)
      .execute();
    const centsByDay = new Map(rows.map((row) => [Number(row.day_number), Number(row.cents)]));
    const lastMs = Math.min(window.endMs - 1, Math.max(untilMs, window.startMs));
    const days: DaySpending[] = [];
    for (let dayStart = window.startMs; dayStart <= lastMs; dayStart += DAY_MS) {
      const dayNumberHere = Math.floor(dayStart / DAY_MS);
      days.push({ day: new Date(dayStart).toISOString().slice(0, 10), cents: Math.max(0, centsByDay.get(dayNumberHere) ?? 0) });
    }
    return days;
  }

  /** The biggest spenders, most first. */
  async perMember(guildId: string, window: Window, limit: number): Promise<Spender[]> {
    return this.quotaStore.topSpenders(this.store.db, guildId, window, limit);
  }

  /** What each resolution cost, most first; resolutions without spending are left out. */
  async perResolution(guildId: string, window: Window): Promise<ResolutionSpending[]> {
    const rows = await this.store.db
      .selectFrom('quota_ledger as l')
      .innerJoin('jobs as j', 'j.id', 'l.job_id')
      .select(['j.resolution', signedCents.as('cents'), signedClips.as('clips')])
      .where('l.guild_id', '=', guildId)
      .where('l.reserved_at', '>=', window.startMs)
      .where('l.reserved_at', '<', window.endMs)
      .groupBy('j.resolution')
      .execute();
    return rows
      .map((row) => ({ resolution: row.resolution, cents: Number(row.cents), clips: Number(row.clips) }))
      .filter((row) => row.cents > 0)
      .sort((a, b) => b.cents - a.cents || a.resolution.localeCompare(b.resolution));
  }
}
