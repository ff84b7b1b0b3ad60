import type { Kysely, Migration, MigrationProvider } from 'kysely';

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
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
