import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, JobPatch, JobRow, NewJobRow } from '../store/schema.js';
import { IllegalTransitionError, isJobState, isTerminal, statesLeadingTo, type JobState } from './states.js';

export type Clock = () => number;

/**
 * Jobs in the store. `transition` is a compare-and-set: the UPDATE only matches
 * a row whose current state may move to the target, so two actors racing to
 * finish the same job cannot both win (the loser gets `undefined`).
 */
export class JobRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: Clock,
  ) {}

  async create(job: Omit<NewJobRow, 'state' | 'created_at' | 'updated_at'>): Promise<JobRow> {
    const at = this.now();
    const row: NewJobRow = { ...job, state: 'received', created_at: at, updated_at: at };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('jobs').values(row).execute();
      await trx
        .insertInto('job_events')
        .values({ id: randomUUID(), job_id: row.id, from_state: null, to_state: 'received', at, detail: null })
        .execute();
    });
    return this.get(row.id);
  }

  async get(id: string): Promise<JobRow> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async find(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async inStates(states: readonly JobState[]): Promise<JobRow[]> {
    return this.db.selectFrom('jobs').selectAll().where('state', 'in', [...states]).orderBy('created_at').execute();
  }

  /**
   * Moves a job to `to` and applies `patch` in the same write. Returns the
   * updated row, or undefined when another actor already ended the job (e.g.
   * it was cancelled meanwhile) or, with `onlyFrom`, moved it out of those
   * states. Throws when the transition is illegal from the state the job is in.
   */
  async transition(
    id: string,
    to: JobState,
    patch: JobPatch = {},
    detail?: string,
    onlyFrom?: readonly JobState[],
  ): Promise<JobRow | undefined> {
    const allowedFrom = statesLeadingTo(to);
    const at = this.now();
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirst();
      if (!current) throw new Error(`Job ${id} does not exist`);
      if (!isJobState(current.state)) throw new IllegalTransitionError(id, current.state, to);
      // Someone else finished the job first: not an error, just a lost race.
      if (isTerminal(current.state)) return undefined;
      // The caller decided on the state it read; anything else moved the job meanwhile.
      if (onlyFrom && !onlyFrom.includes(current.state)) return undefined;
      if (!allowedFrom.includes(current.state)) throw new IllegalTransitionError(id, current.state, to);
      const result = await trx
        .updateTable('jobs')
        .set({ ...patch, state: to, updated_at: at })
        .where('id', '=', id)
        .where('state', '=', current.state)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      if (current.state !== to) {
        await trx
          .insertInto('job_events')
          .values({ id: randomUUID(), job_id: id, from_state: current.state, to_state: to, at, detail: detail ?? null })
          .execute();
      }
      return trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
  }

  /** Updates fields without changing state (progress details). */
  async update(id: string, patch: JobPatch): Promise<void> {
    await this.db.updateTable('jobs').set({ ...patch, updated_at: this.now() }).where('id', '=', id).execute();
  }

  async events(id: string): Promise<Array<{ from: string | null; to: string; at: number; detail: string | null }>> {
    const rows = await this.db
      .selectFrom('job_events')
      .select(['from_state', 'to_state', 'at', 'detail'])
      .where('job_id', '=', id)
      .orderBy('at')
      .execute();
    return rows.map((row) => ({ from: row.from_state, to: row.to_state, at: row.at, detail: row.detail }));
  }
}
