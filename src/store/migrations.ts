import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Migrations live in code (not a folder scan) so the compiled bot and the tests
 * run the same list, in order, on SQLite and PostgreSQL alike.
 */
const migrations: Record<string, Migration> = {
  '0001_jobs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('state', 'varchar(20)', (c) => c.notNull())
        .addColumn('guild_id', 'varchar(24)')
        .addColumn('channel_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('application_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('interaction_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('interaction_token', 'text', (c) => c.notNull())
        .addColumn('interaction_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('attachment_size_limit', 'bigint', (c) => c.notNull())
        .addColumn('app_permissions', 'varchar(24)')
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('negative_prompt', 'text')
        .addColumn('resolution', 'varchar(8)', (c) => c.notNull())
        .addColumn('duration_seconds', 'integer', (c) => c.notNull())
        .addColumn('seed', 'bigint')
        .addColumn('prompt_expansion', 'integer', (c) => c.notNull())
        .addColumn('image_source_url', 'text', (c) => c.notNull())
        .addColumn('audio_source_url', 'text')
        .addColumn('image_url', 'text')
        .addColumn('audio_url', 'text')
        .addColumn('cost_cents', 'integer', (c) => c.notNull())
        .addColumn('request_id', 'varchar(64)', (c) => c.unique())
        .addColumn('queue_position', 'integer')
        .addColumn('last_log', 'text')
        .addColumn('video_url', 'text')
        .addColumn('video_bytes', 'bigint')
        .addColumn('result_seed', 'bigint')
        .addColumn('actual_prompt', 'text')
        .addColumn('error_code', 'varchar(64)')
        .addColumn('error_message', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('submitted_at', 'bigint')
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('jobs_state_idx').on('jobs').column('state').execute();
      await db.schema.createIndex('jobs_guild_user_idx').on('jobs').columns(['guild_id', 'user_id']).execute();

      await db.schema
        .createTable('job_events')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('job_id', 'varchar(40)', (c) => c.notNull().references('jobs.id'))
        .addColumn('from_state', 'varchar(20)')
        .addColumn('to_state', 'varchar(20)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('job_events_job_idx').on('job_events').column('job_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('job_events').execute();
      await db.schema.dropTable('jobs').execute();
    },
  },
  '0002_quotas': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('quota_guild_settings')
        .addColumn('guild_id', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('budget_cents', 'integer')
        .addColumn('budget_period', 'varchar(8)')
        .addColumn('member_clips_per_day', 'integer')
        .addColumn('member_cooldown_seconds', 'integer')
        .addColumn('member_concurrent_jobs', 'integer')
        .addColumn('guild_concurrent_jobs', 'integer')
        .addColumn('allowed_resolutions', 'varchar(32)')
        .addColumn('max_duration_seconds', 'integer')
        .addColumn('audio_allowed', 'integer')
        .addColumn('allowed_channel_ids', 'text')
        .addColumn('allowed_role_ids', 'text')
        .addColumn('exempt_role_ids', 'text')
        .addColumn('mod_log_channel_id', 'varchar(24)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('quota_ledger')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('job_id', 'varchar(40)', (c) => c.notNull().references('jobs.id'))
        .addColumn('kind', 'varchar(8)', (c) => c.notNull().check(sql`kind in ('reserve', 'commit', 'refund')`))
        .addColumn('guild_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents >= 0`))
        .addColumn('period_key', 'varchar(24)', (c) => c.notNull())
        .addColumn('reserved_at', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        // The database itself refuses a second reserve, commit or refund of one job.
        .addUniqueConstraint('quota_ledger_job_kind_unique', ['job_id', 'kind'])
        .execute();
      await db.schema.createIndex('quota_ledger_guild_idx').on('quota_ledger').columns(['guild_id', 'reserved_at']).execute();
      await db.schema
        .createIndex('quota_ledger_member_idx')
        .on('quota_ledger')
        .columns(['guild_id', 'user_id', 'reserved_at'])
        .execute();
      await db.schema.createIndex('quota_ledger_reserved_at_idx').on('quota_ledger').column('reserved_at').execute();

      await db.schema
        .createTable('quota_audit')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('guild_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('actor_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('setting', 'varchar(40)', (c) => c.notNull())
        .addColumn('old_value', 'text')
        .addColumn('new_value', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quota_audit_guild_idx').on('quota_audit').columns(['guild_id', 'at']).execute();

      await db.schema
        .createTable('quota_member_resets')
        .addColumn('guild_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('reset_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('quota_member_resets_pk', ['guild_id', 'user_id'])
        .execute();

      await db.schema
        .createTable('quota_alerts')
        .addColumn('guild_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('period_key', 'varchar(24)', (c) => c.notNull())
        .addColumn('threshold_percent', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('quota_alerts_pk', ['guild_id', 'period_key', 'threshold_percent'])
        .execute();

      await db.schema.createTable('quota_global').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
      await sql`insert into quota_global (id) values (1)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['quota_global', 'quota_alerts', 'quota_member_resets', 'quota_audit', 'quota_ledger', 'quota_guild_settings']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  '0003_job_model_and_charge': {
    async up(db: Kysely<unknown>) {
      // Every job so far ran on WAN 2.5 (src/fal/models/wan25.ts).
      await db.schema.alterTable('jobs').addColumn('model', 'varchar(40)', (c) => c.notNull().defaultTo('wan-25')).execute();
      // Set with the final state, in the same write: whether the member paid for this job.
      await db.schema.alterTable('jobs').addColumn('charged', 'integer').execute();
      await sql`update jobs set charged = case when state = 'delivered' or error_code = 'undeliverable' then 1 else 0 end
                where state in ('delivered', 'failed', 'cancelled')`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('jobs').dropColumn('charged').execute();
      await db.schema.alterTable('jobs').dropColumn('model').execute();
    },
  },
  '0004_estimates_completed_at': {
    async up(db: Kysely<unknown>) {
      // When fal reported COMPLETED: with submitted_at and started_at, the queue and running times estimates learn from.
      await db.schema.alterTable('jobs').addColumn('completed_at', 'bigint').execute();
      await db.schema.createIndex('jobs_timings_idx').on('jobs').columns(['model', 'resolution', 'duration_seconds', 'state', 'finished_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('jobs_timings_idx').execute();
      await db.schema.alterTable('jobs').dropColumn('completed_at').execute();
    },
  },
  '0005_i18n_job_locale': {
    async up(db: Kysely<unknown>) {
      // The member's Discord locale: a resumed job, a fallback post or a DM speaks their language (null: English).
      await db.schema.alterTable('jobs').addColumn('locale', 'varchar(16)').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('jobs').dropColumn('locale').execute();
    },
  },
  '0006_dashboard_history': {
    async up(db: Kysely<unknown>) {
      // The member's reply (the deferred response), so a job's history row links to it in Discord.
      await db.schema.alterTable('jobs').addColumn('reply_message_id', 'varchar(24)').execute();
      // Where a quota change was made: 'dashboard', or null for /quota (every row before this).
      await db.schema.alterTable('quota_audit').addColumn('via', 'varchar(16)').execute();
      // The dashboard's job history pages a server's jobs newest first.
      await db.schema.createIndex('jobs_guild_created_idx').on('jobs').columns(['guild_id', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('jobs_guild_created_idx').execute();
      await db.schema.alterTable('quota_audit').dropColumn('via').execute();
      await db.schema.alterTable('jobs').dropColumn('reply_message_id').execute();
    },
  },
  '0007_member_experience': {
    async up(db: Kysely<unknown>) {
      // A re-run (Re-roll, Remix, Render final) reuses the picture its source job already put on fal's storage.
      await db.schema.alterTable('jobs').addColumn('source_job_id', 'varchar(40)').execute();
      // sha256 of the downloaded picture: with the options and an explicit seed, it finds a request already paid for.
      await db.schema.alterTable('jobs').addColumn('image_sha256', 'varchar(64)').execute();
      // Where the video was delivered, for the link a free repeat gives.
      await db.schema.alterTable('jobs').addColumn('delivered_channel_id', 'varchar(24)').execute();
      await db.schema.alterTable('jobs').addColumn('delivered_message_id', 'varchar(24)').execute();
      // The member asked for private results: never posted in the channel, even as a fallback.
      await db.schema.alterTable('jobs').addColumn('private_result', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('jobs_repeat_idx').on('jobs').columns(['image_sha256', 'seed', 'finished_at']).execute();

      await db.schema
        .createTable('member_settings')
        .addColumn('guild_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('resolution', 'varchar(8)')
        .addColumn('duration_seconds', 'integer')
        .addColumn('prompt_expansion', 'integer')
        .addColumn('private_results', 'integer')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('member_settings_pk', ['guild_id', 'user_id'])
        .execute();

      // A context-menu modal in flight: the picture it is about, keyed by the short id in the modal's custom_id.
      await db.schema
        .createTable('pending_animations')
        .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
        .addColumn('guild_id', 'varchar(24)')
        .addColumn('channel_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(24)', (c) => c.notNull())
        .addColumn('image_url', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'varchar(100)')
        .addColumn('declared_size', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('pending_animations').execute();
      await db.schema.dropTable('member_settings').execute();
      await db.schema.dropIndex('jobs_repeat_idx').execute();
      for (const column of ['private_result', 'delivered_message_id', 'delivered_channel_id', 'image_sha256', 'source_job_id']) {
        await db.schema.alterTable('jobs').dropColumn(column).execute();
      }
    },
  },
  '0008_media_extend': {
    async up(db: Kysely<unknown>) {
      // What was done to the member's picture so the model takes it (one line), shown to the member.
      await db.schema.alterTable('jobs').addColumn('image_note', 'text').execute();
      // Extend: the finished job whose video this one continues, and the length of the whole video.
      await db.schema.alterTable('jobs').addColumn('parent_job_id', 'varchar(40)').execute();
      await db.schema.alterTable('jobs').addColumn('total_duration_seconds', 'integer').execute();
      // An extension's joined video, uploaded to fal's storage: what it delivers.
      await db.schema.alterTable('jobs').addColumn('full_video_url', 'text').execute();
      await sql`update jobs set total_duration_seconds = duration_seconds`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      for (const column of ['full_video_url', 'total_duration_seconds', 'parent_job_id', 'image_note']) {
        await db.schema.alterTable('jobs').dropColumn(column).execute();
      }
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
