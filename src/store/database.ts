import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations.js';
import { withPreparedStatements } from './statementCache.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Postgres only: run in this schema (created if missing); tests use one per run. */
  schema?: string;
}

// Postgres returns int8 as strings to protect precision; every bigint here is an
// epoch-millisecond timestamp or a byte count, far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** `postgres://…` selects PostgreSQL; anything else is a SQLite path (`sqlite:`/`file:` prefixes accepted). */
function engineFor(databaseUrl: string): Engine {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
}

function sqlitePathOf(databaseUrl: string): string {
  return databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
}

export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const engine = engineFor(databaseUrl);
  const db = engine === 'postgres' ? openPostgres(databaseUrl, options.schema) : openSqlite(sqlitePathOf(databaseUrl));
  if (engine === 'postgres' && options.schema) {
    await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
  }
  await migrate(db, engine === 'postgres' ? options.schema : undefined);
  return { db, engine, close: () => db.destroy() };
}

function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  return new Kysely<Database>({
    dialect: new SqliteDialect({
      database: () => {
        const database = new SqliteDatabase(path);
        // WAL lets readers run beside the one writer; busy_timeout covers a second process.
        database.pragma('journal_mode = WAL');
        // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the
        // process being killed (SIGKILL, a crash), and only a power loss or an OS crash can take
        // back the last ones. FULL's fsync per commit blocked the event loop on every write
        // (SQLite docs "pragma synchronous"; README "Benchmarks").
        database.pragma('synchronous = NORMAL');
        database.pragma('busy_timeout = 5000');
        database.pragma('foreign_keys = ON');
        return Promise.resolve(withPreparedStatements(database));
      },
    }),
  });
}

function openPostgres(connectionString: string, schema: string | undefined): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  // Kysely looks for its migration tables by name in every schema unless told
  // which one: with a second schema in the database (tests run one per suite)
  // it would find that one's tables and never create its own.
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, { cause: error });
  }
}
