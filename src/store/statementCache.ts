import type { Database as BetterSqliteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Distinct SQL texts kept prepared. The bot's queries are a few dozen shapes;
 * `in (?, ?, …)` lists of every length add some. The oldest is dropped beyond it.
 */
const MAX_PREPARED_STATEMENTS = 500;

/**
 * better-sqlite3 as Kysely sees it, with every SQL text prepared once. Kysely's
 * SQLite driver prepares each query anew, and preparing costs more than
 * running most of the bot's one-row queries: ~80 µs each, ~45 per job, all of
 * it on the event loop that also acknowledges interactions (`npm run bench`,
 * README "Benchmarks"). A statement that is busy (a streamed query still
 * iterating it) is not handed out again: the caller gets a fresh one.
 */
export function withPreparedStatements(database: BetterSqliteDatabase, maxStatements = MAX_PREPARED_STATEMENTS): SqliteDatabase {
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const prepared = new Map<string, Statement>();
  return {
    close() {
      prepared.clear();
      database.close();
    },
    prepare(sql) {
      const cached = prepared.get(sql);
      if (cached && !cached.busy) {
        prepared.delete(sql);
        prepared.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (!cached) {
        prepared.set(sql, statement);
        if (prepared.size > maxStatements) prepared.delete(prepared.keys().next().value!);
      }
      return statement;
    },
  };
}
