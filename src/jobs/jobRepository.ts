import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../util/clock.js';
import type { Database, JobPatch, JobRow, NewJobRow } from '../store/schema.js';
import type { Job, JobChanges, JobTiming, NewJob, TimingKind } from './job.js';
import { IllegalTransitionError, isJobState, isTerminal, statesLeadingTo, type JobState } from './states.js';

/**
 * Jobs in the store, as typed `Job`s (rows never leave this file). `transition`
 * is a compare-and-set: the UPDATE only matches a row whose current state may
 * move to the target, so two actors racing to finish the same job cannot both
 * win (the loser gets `undefined`).
 */
export class JobRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: Clock,
  ) {}

  async create(job: NewJob): Promise<Job> {
    const at = this.now();
    const row: NewJobRow = { ...rowOf(job), state: 'received', created_at: at, updated_at: at };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('jobs').values(row).execute();
      await trx
        .insertInto('job_events')
        .values({ id: randomUUID(), job_id: row.id, from_state: null, to_state: 'received', at, detail: null })
        .execute();
    });
    return this.get(row.id);
  }

  async get(id: string): Promise<Job> {
    return jobOf(await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  async find(id: string): Promise<Job | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && jobOf(row);
  }

  async inStates(states: readonly JobState[]): Promise<Job[]> {
    const rows = await this.db.selectFrom('jobs').selectAll().where('state', 'in', [...states]).orderBy('created_at').execute();
    return rows.map(jobOf);
  }

  /**
   * Moves a job to `to` and applies `changes` in the same write. Returns the
   * updated job, or undefined when another actor already ended the job (e.g.
   * it was cancelled meanwhile) or, with `onlyFrom`, moved it out of those
   * states. Throws when the transition is illegal from the state the job is in.
   */
  async transition(
    id: string,
    to: JobState,
    changes: JobChanges = {},
    detail?: string,
    onlyFrom?: readonly JobState[],
  ): Promise<Job | undefined> {
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
        .set({ ...patchOf(changes), state: to, updated_at: at })
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
      return jobOf(await trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    });
  }

  /** Updates fields without changing state (the request id of a job cancelled mid-submit). */
  async update(id: string, changes: JobChanges): Promise<void> {
    await this.db.updateTable('jobs').set({ ...patchOf(changes), updated_at: this.now() }).where('id', '=', id).execute();
  }

  /**
   * How long fal kept the last `limit` delivered jobs of one kind in its queue
   * (submitted → started) and making the video (started → completed), newest
   * first. Jobs fal never showed running, or from before completions were
   * recorded, have nothing to say and are left out.
   */
  async recentTimings(kind: TimingKind, limit: number): Promise<JobTiming[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['submitted_at', 'started_at', 'completed_at'])
      .where('model', '=', kind.model)
      .where('resolution', '=', kind.resolution)
      .where('duration_seconds', '=', kind.durationSeconds)
      .where('state', '=', 'delivered')
      .where('submitted_at', 'is not', null)
      .where('started_at', 'is not', null)
      .where('completed_at', 'is not', null)
      .orderBy('finished_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      queueMs: Math.max(0, Number(row.started_at) - Number(row.submitted_at)),
      runMs: Math.max(0, Number(row.completed_at) - Number(row.started_at)),
    }));
  }

  /**
   * The latest delivered, paid-for job since `since` that asked for exactly
   * what `job` asks (same picture bytes, model, options and explicit seed):
   * its video answers the repeat at no cost. Jobs with a soundtrack are never
   * repeats (only the picture's bytes are fingerprinted).
   */
  async findRepeatOf(job: Job, imageSha256: string, since: number): Promise<Job | undefined> {
    if (job.seed === null || job.audioSourceUrl !== null) return undefined;
    let query = this.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '!=', job.id)
      .where('state', '=', 'delivered')
      .where('charged', '=', 1)
      .where('image_sha256', '=', imageSha256)
      .where('seed', '=', job.seed)
      .where('model', '=', job.model)
      .where('prompt', '=', job.prompt)
      .where('resolution', '=', job.resolution)
      .where('duration_seconds', '=', job.durationSeconds)
      .where('prompt_expansion', '=', job.promptExpansion ? 1 : 0)
      .where('audio_source_url', 'is', null)
      .where('video_url', 'is not', null)
      .where('finished_at', '>=', since);
    query = job.negativePrompt === null ? query.where('negative_prompt', 'is', null) : query.where('negative_prompt', '=', job.negativePrompt);
    query = job.guildId === null ? query.where('guild_id', 'is', null) : query.where('guild_id', '=', job.guildId);
    const row = await query.orderBy('finished_at', 'desc').executeTakeFirst();
    return row && jobOf(row);
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

function jobOf(row: JobRow): Job {
  if (!isJobState(row.state)) throw new Error(`job ${row.id} has an unknown state "${row.state}"`);
  return {
    id: row.id,
    state: row.state,
    model: row.model,
    guildId: row.guild_id,
    channelId: row.channel_id,
    userId: row.user_id,
    reply: {
      applicationId: row.application_id,
      interactionId: row.interaction_id,
      token: row.interaction_token,
      expiresAt: row.interaction_expires_at,
      attachmentSizeLimit: row.attachment_size_limit,
      appPermissions: row.app_permissions,
    },
    locale: row.locale,
    prompt: row.prompt,
    negativePrompt: row.negative_prompt,
    resolution: row.resolution,
    durationSeconds: row.duration_seconds,
    seed: row.seed,
    promptExpansion: row.prompt_expansion === 1,
    imageSourceUrl: row.image_source_url,
    audioSourceUrl: row.audio_source_url,
    imageUrl: row.image_url,
    audioUrl: row.audio_url,
    costCents: row.cost_cents,
    requestId: row.request_id,
    queuePosition: row.queue_position,
    lastLog: row.last_log,
    videoUrl: row.video_url,
    videoBytes: row.video_bytes,
    resultSeed: row.result_seed,
    actualPrompt: row.actual_prompt,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    charged: row.charged === null ? null : row.charged === 1,
    replyMessageId: row.reply_message_id,
    imageNote: row.image_note,
    parentJobId: row.parent_job_id,
    totalDurationSeconds: row.total_duration_seconds ?? row.duration_seconds,
    fullVideoUrl: row.full_video_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    finishedAt: row.finished_at,
    sourceJobId: row.source_job_id,
    imageSha256: row.image_sha256,
    deliveredChannelId: row.delivered_channel_id,
    deliveredMessageId: row.delivered_message_id,
    privateResult: row.private_result === 1,
  };
}

function rowOf(job: NewJob): Omit<NewJobRow, 'state' | 'created_at' | 'updated_at'> {
  return {
    id: job.id,
    model: job.model,
    guild_id: job.guildId,
    channel_id: job.channelId,
    user_id: job.userId,
    application_id: job.reply.applicationId,
    interaction_id: job.reply.interactionId,
    interaction_token: job.reply.token,
    interaction_expires_at: job.reply.expiresAt,
    attachment_size_limit: job.reply.attachmentSizeLimit,
    app_permissions: job.reply.appPermissions,
    locale: job.locale ?? null,
    prompt: job.prompt,
    negative_prompt: job.negativePrompt,
    resolution: job.resolution,
    duration_seconds: job.durationSeconds,
    seed: job.seed,
    prompt_expansion: job.promptExpansion ? 1 : 0,
    image_source_url: job.imageSourceUrl,
    audio_source_url: job.audioSourceUrl,
    image_url: null,
    audio_url: null,
    cost_cents: job.costCents,
    charged: null,
    source_job_id: job.sourceJobId ?? null,
    private_result: job.privateResult ? 1 : 0,
    parent_job_id: job.parentJobId ?? null,
    total_duration_seconds: job.totalDurationSeconds ?? job.durationSeconds,
  };
}

const COLUMNS: Readonly<Record<keyof JobChanges, keyof JobPatch>> = {
  imageUrl: 'image_url',
  audioUrl: 'audio_url',
  imageSha256: 'image_sha256',
  deliveredChannelId: 'delivered_channel_id',
  deliveredMessageId: 'delivered_message_id',
  requestId: 'request_id',
  queuePosition: 'queue_position',
  lastLog: 'last_log',
  videoUrl: 'video_url',
  videoBytes: 'video_bytes',
  resultSeed: 'result_seed',
  actualPrompt: 'actual_prompt',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  charged: 'charged',
  replyMessageId: 'reply_message_id',
  submittedAt: 'submitted_at',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  finishedAt: 'finished_at',
  imageNote: 'image_note',
  fullVideoUrl: 'full_video_url',
};

function patchOf(changes: JobChanges): JobPatch {
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    patch[COLUMNS[field as keyof JobChanges]] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return patch as JobPatch;
}
