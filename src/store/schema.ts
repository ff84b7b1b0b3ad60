import type { Insertable, Selectable, Updateable } from 'kysely';

/**
 * The schema, shared by SQLite and PostgreSQL. Portable on purpose: text ids,
 * integer money (cents), timestamps as integer epoch milliseconds (bigint in
 * Postgres, parsed back to number), booleans as 0/1 integers.
 */
export interface JobsTable {
  id: string;
  state: string;
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
  finished_at: number | null;
}

export interface JobEventsTable {
  id: string;
  job_id: string;
  from_state: string | null;
  to_state: string;
  at: number;
  detail: string | null;
}

export interface Database {
  jobs: JobsTable;
  job_events: JobEventsTable;
}

export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type JobPatch = Updateable<JobsTable>;
