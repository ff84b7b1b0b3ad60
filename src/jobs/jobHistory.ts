import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { isJobState, TERMINAL_STATES, type JobState } from './states.js';

/**
 * A server's jobs, newest first, for the moderators' dashboard: filtered by
 * outcome, member and day, one page at a time. Read-only; rows stay in here
 * (the pages get `JobSummary`s, which carry no interaction token).
 */

/** The outcomes a moderator filters by; "in progress" is every unfinished state. */
export const JOB_OUTCOMES = ['delivered', 'failed', 'cancelled', 'in_progress'] as const;
export type JobOutcomeFilter = (typeof JOB_OUTCOMES)[number];

export interface JobHistoryFilter {
  outcome?: JobOutcomeFilter;
  userId?: string;
  /** Jobs created at or after this instant (epoch ms). */
  fromMs?: number;
  /** Jobs created before this instant (epoch ms). */
  untilMs?: number;
}

export interface JobSummary {
  id: string;
  guildId: string;
  channelId: string;
  userId: string;
  /** The member's reply in Discord, when its id was recorded. */
  replyMessageId: string | null;
  prompt: string;
  state: JobState;
  resolution: string;
  durationSeconds: number;
  costCents: number;
  /** Whether the member paid: null while the job runs. */
  charged: boolean | null;
  /** What the member was told when it failed or was cancelled. */
  endNote: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface JobHistoryPage {
  jobs: JobSummary[];
  /** Jobs matching the filter, on every page. */
  total: number;
}

export class JobHistory {
  constructor(private readonly db: Kysely<Database>) {}

  async page(guildId: string, filter: JobHistoryFilter, offset: number, limit: number): Promise<JobHistoryPage> {
    const matching = this.db
      .selectFrom('jobs')
      .where('guild_id', '=', guildId)
      .$if(filter.outcome === 'in_progress', (qb) => qb.where('state', 'not in', [...TERMINAL_STATES]))
      .$if(filter.outcome !== undefined && filter.outcome !== 'in_progress', (qb) => qb.where('state', '=', filter.outcome ?? ''))
      .$if(filter.userId !== undefined, (qb) => qb.where('user_id', '=', filter.userId ?? ''))
      .$if(filter.fromMs !== undefined, (qb) => qb.where('created_at', '>=', filter.fromMs ?? 0))
      .$if(filter.untilMs !== undefined, (qb) => qb.where('created_at', '<', filter.untilMs ?? 0));
    const counted = await matching.select((eb) => eb.fn.countAll().as('jobs')).executeTakeFirst();
    const rows = await matching
      .select([
        'id',
        'guild_id',
        'channel_id',
        'user_id',
        'reply_message_id',
        'prompt',
        'state',
        'resolution',
        'duration_seconds',
        'cost_cents',
        'charged',
        'error_message',
        'created_at',
        'finished_at',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return {
      total: Number(counted?.jobs ?? 0),
      jobs: rows.map((row) => ({
        id: row.id,
        guildId: row.guild_id ?? guildId,
        channelId: row.channel_id,
        userId: row.user_id,
        replyMessageId: row.reply_message_id,
        prompt: row.prompt,
        // A state this version does not know (a newer one wrote it) reads as failed rather than breaking the page.
        state: isJobState(row.state) ? row.state : 'failed',
        resolution: row.resolution,
        durationSeconds: row.duration_seconds,
        costCents: row.cost_cents,
        charged: row.charged === null ? null : row.charged === 1,
        endNote: row.state === 'failed' || row.state === 'cancelled' ? row.error_message : null,
        createdAt: Number(row.created_at),
        finishedAt: row.finished_at === null ? null : Number(row.finished_at),
      })),
    };
  }
}
