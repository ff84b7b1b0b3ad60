import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The schema, shared by SQLite and PostgreSQL. Portable on purpose: text ids,
 * integer money (cents), timestamps as integer epoch milliseconds (bigint in
 * Postgres, parsed back to number), booleans as 0/1 integers.
 */
export interface JobsTable {
  id: string;
  state: string;
  /** The model's id in src/fal/models. */
  model: Generated<string>;
  guild_id: string | null;
  channel_id: string;
  user_id: string;
  application_id: string;
  interaction_id: string;
  interaction_token: string;
  /** When the interaction token stops working for edits (15 min after the interaction). */
  interaction_expires_at: number;
  attachment_size_limit: number;
  app_permissions: string | null;
  /** The member's Discord locale ('de', 'en-US'…); null for jobs from before it was kept. */
  locale: string | null;
  prompt: string;
  negative_prompt: string | null;
  resolution: string;
  duration_seconds: number;
  seed: number | null;
  prompt_expansion: number;
  image_source_url: string;
  audio_source_url: string | null;
  image_url: string | null;
  audio_url: string | null;
  cost_cents: number;
  request_id: string | null;
  queue_position: number | null;
  last_log: string | null;
  video_url: string | null;
  video_bytes: number | null;
  result_seed: number | null;
  actual_prompt: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  started_at: number | null;
  /** When fal reported the job COMPLETED (null for jobs from before it was recorded). */
  completed_at: number | null;
  finished_at: number | null;
  /** 0/1, set with the final state: whether the member paid (null while unfinished). */
  charged: number | null;
  /** The member's reply message, once Discord said its id (after the acknowledgement). */
  reply_message_id: string | null;
  /** The job whose picture (already on fal's storage) this re-run reuses. */
  source_job_id: string | null;
  image_sha256: string | null;
  delivered_channel_id: string | null;
  delivered_message_id: string | null;
  /** 0/1: the member's results are private (ephemeral; never posted in the channel). */
  private_result: Generated<number>;
  /** What was done to the member's picture so the model takes it, in one line. */
  image_note: string | null;
  /** Extend: the delivered job whose video this one continues. */
  parent_job_id: string | null;
  /** The delivered video's length: this clip plus every clip it extends (null on rows from before 0004: duration_seconds). */
  total_duration_seconds: number | null;
  /** An extension's joined video on fal's storage. */
  full_video_url: string | null;
}

export interface JobEventsTable {
  id: string;
  job_id: string;
  from_state: string | null;
  to_state: string;
  at: number;
  detail: string | null;
}

/**
 * A server's own quota rules. Every rule column is nullable: null means "the
 * operator's default" (config), so a default change reaches every server that
 * did not choose otherwise. The row doubles as the lock that serialises the
 * server's reservations on PostgreSQL (SELECT … FOR UPDATE).
 */
export interface QuotaGuildSettingsTable {
  guild_id: string;
  /** 0 = nothing may be spent. */
  budget_cents: number | null;
  /** 'day' | 'week' | 'month' */
  budget_period: string | null;
  /** 0 = no limit (same for the three below). */
  member_clips_per_day: number | null;
  member_cooldown_seconds: number | null;
  member_concurrent_jobs: number | null;
  guild_concurrent_jobs: number | null;
  /** Comma-separated, e.g. '480p,720p'. */
  allowed_resolutions: string | null;
  max_duration_seconds: number | null;
  /** 0/1 */
  audio_allowed: number | null;
  /** Comma-separated snowflakes; null or empty = every channel / everyone / nobody exempt. */
  allowed_channel_ids: string | null;
  allowed_role_ids: string | null;
  exempt_role_ids: string | null;
  mod_log_channel_id: string | null;
  created_at: number;
  updated_at: number;
}

export type LedgerKind = 'reserve' | 'commit' | 'refund';

/**
 * One row per money movement; UNIQUE (job_id, kind) makes a second commit or
 * refund of a job impossible. Commit and refund rows copy the reserve's
 * `reserved_at` and `period_key`, so "usage in a window" is one signed sum over
 * rows whose reservation fell in it: reserves − refunds (commits only settle).
 */
export interface QuotaLedgerTable {
  id: string;
  job_id: string;
  kind: LedgerKind;
  guild_id: string;
  user_id: string;
  /** Always positive; the kind gives the sign. */
  amount_cents: number;
  /** The server's budget period when the job was reserved, e.g. 'month:2026-11'. */
  period_key: string;
  reserved_at: number;
  at: number;
}

/** Who changed which quota setting, from what to what (values as stored; null = operator default). */
export interface QuotaAuditTable {
  id: string;
  guild_id: string;
  actor_id: string;
  setting: string;
  old_value: string | null;
  new_value: string | null;
  at: number;
  /** Where the change was made: 'dashboard', or null for /quota. */
  via: string | null;
}

/** `/quota reset member:` — the member's limits count only reservations after this. */
export interface QuotaMemberResetsTable {
  guild_id: string;
  user_id: string;
  reset_at: number;
}

/** Budget alerts already sent: the primary key makes each (period, threshold) fire once. */
export interface QuotaAlertsTable {
  guild_id: string;
  period_key: string;
  threshold_percent: number;
  at: number;
}

/** One row (id 1): the lock every reservation takes before checking the global daily cap. */
export interface QuotaGlobalTable {
  id: number;
}

/** A member's own defaults for new jobs in one server; null = no preference. */
export interface MemberSettingsTable {
  guild_id: string;
  user_id: string;
  resolution: string | null;
  duration_seconds: number | null;
  prompt_expansion: number | null;
  private_results: number | null;
  updated_at: number;
}

/** The picture a context-menu modal is about, until the member submits it. */
export interface PendingAnimationsTable {
  id: string;
  guild_id: string | null;
  channel_id: string;
  user_id: string;
  image_url: string;
  filename: string;
  content_type: string | null;
  declared_size: number;
  created_at: number;
}

export interface Database {
  jobs: JobsTable;
  job_events: JobEventsTable;
  quota_guild_settings: QuotaGuildSettingsTable;
  quota_ledger: QuotaLedgerTable;
  quota_audit: QuotaAuditTable;
  quota_member_resets: QuotaMemberResetsTable;
  quota_alerts: QuotaAlertsTable;
  quota_global: QuotaGlobalTable;
  member_settings: MemberSettingsTable;
  pending_animations: PendingAnimationsTable;
}

export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type JobPatch = Updateable<JobsTable>;

export type GuildSettingsRow = Selectable<QuotaGuildSettingsTable>;
export type LedgerRow = Selectable<QuotaLedgerTable>;
export type AuditRow = Selectable<QuotaAuditTable>;
