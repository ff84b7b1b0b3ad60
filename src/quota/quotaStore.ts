import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../store/database.js';
import type { AuditRow, Database, GuildSettingsRow, LedgerKind, LedgerRow } from '../store/schema.js';

/** Any Kysely handle: the database itself or an open transaction. */
type Db = Kysely<Database>;

export interface Window {
  startMs: number;
  endMs: number;
}

export interface Spender {
  userId: string;
  spentCents: number;
  clips: number;
}

/**
 * Reservations past this age no longer count as "being made". Jobs end long
 * before (JOB_MAX_WAIT_SECONDS, and a restart fails every unsubmitted job), so
 * this only keeps one stuck row from blocking a member or a server for good.
 */
const OPEN_RESERVATION_HORIZON_MS = 24 * 60 * 60_000;

// Usage = reserves − refunds; commit rows only settle a reservation.
const signedCents = sql<number>`coalesce(sum(case when kind = 'reserve' then amount_cents when kind = 'refund' then -amount_cents else 0 end), 0)`;
const signedClips = sql<number>`coalesce(sum(case when kind = 'reserve' then 1 when kind = 'refund' then -1 else 0 end), 0)`;

let auditSequence = 0;

/** Sorts like the time it was written, also within one millisecond (one change of several settings). */
function auditId(atMs: number): string {
  auditSequence = (auditSequence + 1) % 1_000_000;
  return `${String(atMs).padStart(15, '0')}-${String(auditSequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
}

/**
 * The quota tables in SQL, the same on SQLite and PostgreSQL. Every query that
 * decides a reservation runs on the transaction handle it is given.
 */
export class QuotaStore {
  constructor(
    readonly db: Db,
    private readonly engine: Engine,
  ) {}

  /**
   * The server's settings row, created (all defaults) when missing, and locked
   * until the transaction ends on PostgreSQL so that competing reservations for
   * the server run one after the other. SQLite needs no lock: Kysely's SQLite
   * driver runs one transaction at a time on its single connection, so a
   * reservation's reads and its insert are never interleaved with another's.
   * And as this INSERT is the transaction's first statement, SQLite's write
   * lock is held before anything is read: even a second process on the same
   * file waits (busy_timeout) rather than reading usage about to change.
   */
  async lockGuild(trx: Db, guildId: string, nowMs: number): Promise<GuildSettingsRow> {
    await trx
      .insertInto('quota_guild_settings')
      .values({ guild_id: guildId, created_at: nowMs, updated_at: nowMs })
      .onConflict((oc) => oc.column('guild_id').doNothing())
      .execute();
    return trx
      .selectFrom('quota_guild_settings')
      .selectAll()
      .where('guild_id', '=', guildId)
      .$if(this.engine === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirstOrThrow();
  }

  /** Serialises every reservation's global-cap check (PostgreSQL; see lockGuild for SQLite). */
  async lockGlobal(trx: Db): Promise<void> {
    if (this.engine !== 'postgres') return;
    await trx.selectFrom('quota_global').select('id').where('id', '=', 1).forUpdate().execute();
  }

  async findGuild(db: Db, guildId: string): Promise<GuildSettingsRow | undefined> {
    return db.selectFrom('quota_guild_settings').selectAll().where('guild_id', '=', guildId).executeTakeFirst();
  }

  async updateGuild(trx: Db, guildId: string, columns: Partial<GuildSettingsRow>, nowMs: number): Promise<void> {
    await trx
      .updateTable('quota_guild_settings')
      .set({ ...columns, updated_at: nowMs })
      .where('guild_id', '=', guildId)
      .execute();
  }

  async guildSpent(db: Db, guildId: string, window: Window): Promise<number> {
    const row = await db
      .selectFrom('quota_ledger')
      .select(signedCents.as('cents'))
      .where('guild_id', '=', guildId)
      .where('reserved_at', '>=', window.startMs)
      .where('reserved_at', '<', window.endMs)
      .executeTakeFirst();
    return Number(row?.cents ?? 0);
  }

  async globalSpent(db: Db, window: Window): Promise<number> {
    const row = await db
      .selectFrom('quota_ledger')
      .select(signedCents.as('cents'))
      .where('reserved_at', '>=', window.startMs)
      .where('reserved_at', '<', window.endMs)
      .executeTakeFirst();
    return Number(row?.cents ?? 0);
  }

  async memberUse(db: Db, guildId: string, userId: string, window: Window): Promise<{ spentCents: number; clips: number }> {
    const row = await db
      .selectFrom('quota_ledger')
      .select([signedCents.as('cents'), signedClips.as('clips')])
      .where('guild_id', '=', guildId)
      .where('user_id', '=', userId)
      .where('reserved_at', '>=', window.startMs)
      .where('reserved_at', '<', window.endMs)
      .executeTakeFirst();
    return { spentCents: Number(row?.cents ?? 0), clips: Number(row?.clips ?? 0) };
  }

  /** When the member's latest job that was not refunded was reserved, counting from `sinceMs`. */
  async memberLastReservedAt(db: Db, guildId: string, userId: string, sinceMs: number): Promise<number | null> {
    const row = await db
      .selectFrom('quota_ledger as r')
      .select((eb) => eb.fn.max('r.reserved_at').as('last'))
      .where('r.kind', '=', 'reserve')
      .where('r.guild_id', '=', guildId)
      .where('r.user_id', '=', userId)
      .where('r.reserved_at', '>=', sinceMs)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('quota_ledger as s').select('s.id').whereRef('s.job_id', '=', 'r.job_id').where('s.kind', '=', 'refund'))),
      )
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? null : Number(row.last);
  }

  /** Reservations neither committed nor refunded: jobs being made right now. */
  async openJobs(db: Db, guildId: string, userId: string | null, nowMs: number): Promise<number> {
    const row = await db
      .selectFrom('quota_ledger as r')
      .select((eb) => eb.fn.countAll().as('open'))
      .where('r.kind', '=', 'reserve')
      .where('r.guild_id', '=', guildId)
      .$if(userId !== null, (qb) => qb.where('r.user_id', '=', userId ?? ''))
      .where('r.reserved_at', '>=', nowMs - OPEN_RESERVATION_HORIZON_MS)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('quota_ledger as s').select('s.id').whereRef('s.job_id', '=', 'r.job_id').where('s.kind', '!=', 'reserve'))),
      )
      .executeTakeFirst();
    return Number(row?.open ?? 0);
  }

  /**
   * The reserve row of a job, locked on PostgreSQL so that a commit and a
   * refund of the same job (or two refunds) settle one after the other.
   */
  async lockReserve(trx: Db, jobId: string): Promise<LedgerRow | undefined> {
    return trx
      .selectFrom('quota_ledger')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('kind', '=', 'reserve')
      .$if(this.engine === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  /** Jobs whose reservation was never settled: only their reserve row exists. */
  async unsettledJobIds(db: Db): Promise<string[]> {
    const rows = await db
      .selectFrom('quota_ledger')
      .select('job_id')
      .groupBy('job_id')
      .having((eb) => eb.fn.countAll(), '=', 1)
      .execute();
    return rows.map((row) => row.job_id);
  }

  async ledgerOf(db: Db, jobId: string): Promise<LedgerRow[]> {
    return db
      .selectFrom('quota_ledger')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('at')
      .orderBy(sql`case kind when 'reserve' then 0 when 'commit' then 1 else 2 end`)
      .execute();
  }

  /** Inserts a movement unless the job already has one of this kind; true when this call wrote it. */
  async record(
    db: Db,
    movement: { jobId: string; kind: LedgerKind; guildId: string; userId: string; amountCents: number; periodKey: string; reservedAt: number; at: number },
  ): Promise<boolean> {
    const result = await db
      .insertInto('quota_ledger')
      .values({
        id: randomUUID(),
        job_id: movement.jobId,
        kind: movement.kind,
        guild_id: movement.guildId,
        user_id: movement.userId,
        amount_cents: movement.amountCents,
        period_key: movement.periodKey,
        reserved_at: movement.reservedAt,
        at: movement.at,
      })
      .onConflict((oc) => oc.columns(['job_id', 'kind']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /**
   * Signed spend per UTC day in a window, by the day each job was reserved in
   * (as every usage figure counts it); days without rows are left out. `day`
   * is whole days since the epoch: integer division is the same on both engines.
   */
  async spendByDay(db: Db, guildId: string, window: Window, userId: string | null): Promise<Array<{ day: number; cents: number }>> {
    const day = sql<number>`reserved_at / 86400000`;
    const rows = await db
      .selectFrom('quota_ledger')
      .select([day.as('day'), signedCents.as('cents')])
      .where('guild_id', '=', guildId)
      .$if(userId !== null, (qb) => qb.where('user_id', '=', userId ?? ''))
      .where('reserved_at', '>=', window.startMs)
      .where('reserved_at', '<', window.endMs)
      .groupBy(day)
      .orderBy(day)
      .execute();
    return rows.map((row) => ({ day: Number(row.day), cents: Number(row.cents) }));
  }

  async topSpenders(db: Db, guildId: string, window: Window, limit: number): Promise<Spender[]> {
    const rows = await db
      .selectFrom('quota_ledger')
      .select(['user_id', signedCents.as('cents'), signedClips.as('clips')])
      .where('guild_id', '=', guildId)
      .where('reserved_at', '>=', window.startMs)
      .where('reserved_at', '<', window.endMs)
      .groupBy('user_id')
      .having(signedCents, '>', 0)
      .orderBy(signedCents, 'desc')
      .orderBy('user_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ userId: row.user_id, spentCents: Number(row.cents), clips: Number(row.clips) }));
  }

  async memberResetAt(db: Db, guildId: string, userId: string): Promise<number | null> {
    const row = await db
      .selectFrom('quota_member_resets')
      .select('reset_at')
      .where('guild_id', '=', guildId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? Number(row.reset_at) : null;
  }

  async setMemberReset(trx: Db, guildId: string, userId: string, atMs: number): Promise<void> {
    await trx
      .insertInto('quota_member_resets')
      .values({ guild_id: guildId, user_id: userId, reset_at: atMs })
      .onConflict((oc) => oc.columns(['guild_id', 'user_id']).doUpdateSet({ reset_at: atMs }))
      .execute();
  }

  async audit(
    trx: Db,
    entries: ReadonlyArray<{
      guildId: string;
      actorId: string;
      setting: string;
      oldValue: string | null;
      newValue: string | null;
      at: number;
      /** Where the change was made ('dashboard'); null for /quota. */
      via?: string | null;
    }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    await trx
      .insertInto('quota_audit')
      .values(
        entries.map((entry) => ({
          id: auditId(entry.at),
          guild_id: entry.guildId,
          actor_id: entry.actorId,
          setting: entry.setting,
          old_value: entry.oldValue,
          new_value: entry.newValue,
          at: entry.at,
          via: entry.via ?? null,
        })),
      )
      .execute();
  }

  async history(db: Db, guildId: string, limit: number, offset = 0): Promise<AuditRow[]> {
    return db
      .selectFrom('quota_audit')
      .selectAll()
      .where('guild_id', '=', guildId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async historyLength(db: Db, guildId: string): Promise<number> {
    const row = await db
      .selectFrom('quota_audit')
      .select((eb) => eb.fn.countAll().as('entries'))
      .where('guild_id', '=', guildId)
      .executeTakeFirst();
    return Number(row?.entries ?? 0);
  }

  /** True for the one caller that records this alert; everyone else must not send it again. */
  async claimAlert(db: Db, guildId: string, periodKey: string, thresholdPercent: number, atMs: number): Promise<boolean> {
    const result = await db
      .insertInto('quota_alerts')
      .values({ guild_id: guildId, period_key: periodKey, threshold_percent: thresholdPercent, at: atMs })
      .onConflict((oc) => oc.columns(['guild_id', 'period_key', 'threshold_percent']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
}
